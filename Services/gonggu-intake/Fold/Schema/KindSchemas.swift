/// The header-alias table of every record kind (documented in docs/INTAKE.md). A field's slot is
/// its case's raw value, so builders address columns without string lookups per row; each kind's
/// `specs` lists the fields in that order (`HeaderAliasTests` checks that each names its case).
enum KindSchemas {
    static func fields(of kind: RecordKind) -> [FieldSpec] {
        switch kind {
        case .survey: return SurveyField.specs
        case .member: return MemberField.specs
        case .household: return HouseholdField.specs
        case .income: return IncomeField.specs
        case .assistance: return AssistanceField.specs
        case .pension: return PensionField.specs
        case .subsidy: return SubsidyField.specs
        case .expense: return ExpenseField.specs
        case .project: return ProjectField.specs
        case .visit: return VisitField.specs
        case .life: return LifeField.specs
        case .decision: return DecisionField.specs
        case .document: return DocumentField.specs
        case .receipt: return ReceiptField.specs
        }
    }
}

private typealias C = CommonAliases

enum SurveyField: Int, KindField {
    case personID, householdID, region, name, cardNumber, category, grade, labour, surveyYear, surveyDate
    case student, needsLongTermCare, orphan, workInjuryNursing, oldAgeAllowance, pensionEnrolled
    case rehabilitationNeeded, accessibilityNeeded, accessibilityDone, autism

    static let specs = [
        C.personID(required: true), C.householdSpec, C.regionSpec, C.nameSpec,
        FieldSpec(
            "cardNumber", "残疾证号", ["残疾人证号", "残疾证号码", "第二代残疾人证号", "残疾人证号码", "card_number", "cardNo",
                                    "card_no", "disabilityCard"], required: true),
        FieldSpec("category", "残疾类别", ["类别", "残疾类型", "disabilityCategory", "disability_category"], required: false),
        FieldSpec("grade", "残疾等级", ["等级", "残疾级别", "disabilityGrade", "disability_grade"], required: false),
        FieldSpec(
            "labour", "劳动能力", ["劳动力状况", "劳动技能", "劳动力", "labor", "labourCapacity", "labour_capacity"],
            required: true),
        FieldSpec("surveyYear", "调查年度", ["年度", "更新年度", "survey_year", "year"], required: true),
        FieldSpec("surveyDate", "调查日期", ["更新日期", "survey_date"], required: false),
        FieldSpec("student", "是否在校生", ["在校生", "是否在校", "isStudent"], required: false),
        FieldSpec("needsLongTermCare", "是否需要长期照护", ["需长期照护", "长期照护", "long_term_care"], required: false),
        FieldSpec("orphan", "是否孤儿", ["孤儿", "isOrphan"], required: false),
        FieldSpec("workInjuryNursing", "享受工伤护理费", ["工伤保险生活护理费", "work_injury_nursing"], required: false),
        FieldSpec("oldAgeAllowance", "享受老年人补贴", ["老年人补贴", "高龄津贴", "old_age_allowance"], required: false),
        FieldSpec(
            "pensionEnrolled", "参加城乡居民养老保险", ["参加养老保险", "城乡居民养老保险", "pension_enrolled"], required: false),
        FieldSpec("rehabilitationNeeded", "康复需求", ["需要康复服务", "rehabilitation_needed"], required: false),
        FieldSpec("accessibilityNeeded", "无障碍改造需求", ["需要无障碍改造", "accessibility_needed"], required: false),
        FieldSpec("accessibilityDone", "已进行无障碍改造", ["无障碍改造已完成", "accessibility_done"], required: false),
        FieldSpec("autism", "是否孤独症", ["孤独症"], required: false),
    ]
}

enum MemberField: Int, KindField {
    case householdID, personID, region, name, labour, student, since, left

    static let specs = [
        C.householdSpec, C.personID(required: true), C.regionSpec, C.nameSpec, SurveyField.labour.spec,
        SurveyField.student.spec,
        FieldSpec("since", "入户日期", ["成员起始日期", "起始日期", "memberSince", "since_date"], required: true),
        FieldSpec("left", "是否离开本户", ["已离开本户", "离户", "has_left"], required: false),
    ]
}

enum HouseholdField: Int, KindField {
    case householdID, region, status, effectiveDate, liftedYear

    static let specs = [
        C.householdSpec, C.regionSpec,
        FieldSpec(
            "status", "户类型", ["户属性", "脱贫属性", "监测对象类型", "householdStatus", "poverty_status"], required: true),
        FieldSpec("effectiveDate", "认定日期", ["生效日期", "标识日期", "effective_date", "date"], required: true),
        FieldSpec("liftedYear", "脱贫年度", ["脱贫年份", "lifted_year"], required: false),
    ]
}

enum IncomeField: Int, KindField {
    case householdID, region, year, netIncome, members, assessedDate

    static let specs = [
        C.householdSpec, C.regionSpec,
        FieldSpec("year", "年度", ["收入年度", "income_year"], required: true),
        FieldSpec("netIncome", "家庭纯收入", ["家庭年纯收入", "年纯收入", "net_income", "income"], required: true),
        FieldSpec("members", "家庭人口数", ["家庭人口", "人口数", "household_size"], required: true),
        FieldSpec("assessedDate", "核算日期", ["测算日期", "评估日期", "assessed_date", "date"], required: true),
    ]
}

enum AssistanceField: Int, KindField {
    case householdID, region, personID, programme, startMonth, stopMonth, stopReason, monthlyAmount

    static let specs = [
        C.householdSpec, C.regionSpec, C.personID(required: false),
        FieldSpec("programme", "救助类型", ["保障类型", "救助项目", "program", "assistanceType"], required: true),
        FieldSpec("startMonth", "起始年月", ["开始年月", "享受起始年月", "起始月份", "start_month"], required: true),
        FieldSpec("stopMonth", "停止年月", ["终止年月", "停发年月", "stop_month"], required: false),
        FieldSpec("stopReason", "停止原因", ["终止原因", "停发原因", "stop_reason"], required: false),
        FieldSpec(
            "monthlyAmount", "月保障金额", ["月救助金额", "月发放金额", "保障金额", "monthly_amount", "amount"], required: false),
    ]
}

enum PensionField: Int, KindField {
    case householdID, region, personID, year, enrolled, governmentPaid

    static let specs = [
        C.householdSpec, C.regionSpec, C.personID(required: true),
        FieldSpec("year", "年度", ["缴费年度", "参保年度", "pension_year"], required: true),
        FieldSpec("enrolled", "是否参保", ["参保状态", "参保", "is_enrolled"], required: true),
        FieldSpec(
            "governmentPaid", "政府代缴金额", ["代缴金额", "代缴保费", "government_paid", "paidByGovernment"], required: false),
    ]
}

enum SubsidyField: Int, KindField {
    case householdID, region, personID, subsidy, month, amount

    static let specs = [
        C.householdSpec, C.regionSpec, C.personID(required: true),
        FieldSpec("subsidy", "补贴类型", ["补贴项目", "补贴名称", "subsidyType", "subsidy_type"], required: true),
        FieldSpec("month", "发放月份", ["补贴月份", "所属月份", "发放年月", "pay_month"], required: true),
        FieldSpec("amount", "发放金额", ["补贴金额", "金额", "pay_amount"], required: true),
    ]
}

enum ExpenseField: Int, KindField {
    case householdID, region, personID, kind, amount, date, department

    static let specs = [
        C.householdSpec, C.regionSpec, C.personID(required: false),
        FieldSpec("kind", "支出类型", ["费用类型", "类型", "expenseType", "expense_type"], required: true),
        FieldSpec("amount", "自付金额", ["个人自付", "个人自付金额", "损失金额", "金额", "selfPaid"], required: true),
        FieldSpec("date", "发生日期", ["结算日期", "日期", "expense_date"], required: true),
        FieldSpec("department", "报送部门", ["部门", "数据来源", "dept"], required: false),
    ]
}

enum ProjectField: Int, KindField {
    case projectID, kind, householdID, region, personID, date, amount

    static let specs = [
        FieldSpec("projectID", "项目编号", ["项目ID", "项目代码", "project_id"], required: true),
        FieldSpec("kind", "项目类型", ["项目类别", "projectType", "project_type"], required: true),
        C.householdSpec, C.regionSpec, C.personID(required: false),
        FieldSpec("date", "实施日期", ["完成日期", "日期", "project_date"], required: true),
        FieldSpec("amount", "项目金额", ["补助金额", "金额", "project_amount"], required: false),
    ]
}

enum VisitField: Int, KindField {
    case householdID, region, date, visitor, hardship, selfApplication, notes

    static let specs = [
        C.householdSpec, C.regionSpec,
        FieldSpec("date", "走访日期", ["探视日期", "日期", "visitDate", "visit_date"], required: true),
        FieldSpec("visitor", "走访人", ["走访人员", "探视人"], required: false),
        FieldSpec("hardship", "困难情况", ["困难类型", "hardships"], required: false),
        FieldSpec("selfApplication", "是否自主申报", ["自主申报", "self_application"], required: false),
        FieldSpec("notes", "备注", ["情况说明", "note", "remark", "remarks"], required: false, freeText: true),
    ]
}

enum LifeField: Int, KindField {
    case householdID, region, personID, kind, date

    static let specs = [
        C.householdSpec, C.regionSpec, C.personID(required: true),
        FieldSpec("kind", "事件类型", ["类型", "eventType", "event_type"], required: true),
        FieldSpec("date", "发生日期", ["日期", "死亡日期", "迁出日期", "event_date"], required: true),
    ]
}

enum DecisionField: Int, KindField {
    case householdID, region, decision, date, bureau, householdType, measure, inReplyTo

    static let specs = [
        C.householdSpec, C.regionSpec,
        FieldSpec("decision", "决定类型", ["决定", "认定结果", "decision_type"], required: true),
        FieldSpec("date", "决定日期", ["认定日期", "日期", "decision_date"], required: true),
        FieldSpec("bureau", "决定单位", ["认定单位"], required: false),
        FieldSpec("householdType", "监测对象类型", ["户类型", "household_type"], required: false),
        FieldSpec("measure", "帮扶措施", ["落实措施"], required: false),
        FieldSpec("inReplyTo", "回复编号", ["回复", "in_reply_to"], required: false),
    ]
}

enum DocumentField: Int, KindField {
    case documentID, category, title, date, stage, sha256, region

    static let specs = [
        FieldSpec("documentID", "文件编号", ["档案编号", "编号", "document_id", "docID"], required: true),
        FieldSpec("category", "文件类别", ["类别", "doc_category"], required: true),
        FieldSpec("title", "标题", ["文件标题", "名称"], required: false),
        FieldSpec("date", "成文日期", ["发文日期", "日期", "doc_date"], required: true),
        FieldSpec("stage", "项目阶段", ["阶段"], required: false),
        FieldSpec("sha256", "文件哈希", ["哈希值", "SHA-256", "hash"], required: true),
        FieldSpec("region", "区划代码", CommonAliases.region, required: false),
    ]
}

/// The columns of a returned outbox file (docs/OPERATIONS.md, "The outbox round trip"). The other
/// columns of the outbox file (类型, 标题, 内容 …) are ignored; 区划代码, when present, places the event.
enum ReceiptField: Int, KindField {
    case notificationID, result, date, region

    static let specs = [
        FieldSpec("notificationID", "通知编号", ["通知ID", "通知号", "notification_id", "notification"], required: true),
        FieldSpec("result", "处理结果", ["处理情况", "办理结果", "处理意见", "handling_result"], required: false),
        FieldSpec("date", "处理日期", ["办理日期", "处理时间", "handled_date", "handledDate"], required: true),
        FieldSpec("region", "区划代码", CommonAliases.region, required: false),
    ]
}
