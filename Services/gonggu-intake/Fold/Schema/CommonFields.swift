/// Header aliases shared by several kinds. Each kind's table in `KindSchemas` uses these so one
/// spelling is accepted everywhere it makes sense.
enum CommonAliases {
    static let personID = [
        "身份证号码", "公民身份号码", "公民身份证号码", "身份证", "证件号码", "残疾人身份证号", "personID", "person_id",
        "idNumber", "id_number", "idCard", "id_card", "residentID",
    ]
    static let householdID = [
        "户号", "户编码", "家庭编号", "户ID", "户主编号", "householdID", "household_id", "hhid", "familyID",
        "family_id",
    ]
    static let region = [
        "行政区划代码", "统计用区划代码", "所属区划代码", "地区编码", "区划编码", "村级区划代码", "regionCode",
        "region_code", "areaCode", "area_code",
    ]
    static let name = ["名字", "personName", "person_name"]

    static func personID(required: Bool) -> FieldSpec {
        FieldSpec("personID", "身份证号", personID, required: required)
    }
    static let householdSpec = FieldSpec("householdID", "户编号", householdID, required: true)
    static let regionSpec = FieldSpec("region", "区划代码", region, required: true)
    static let nameSpec = FieldSpec("name", "姓名", name, required: false)
}
