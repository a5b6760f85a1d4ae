extension RiskRules {
    /// The default rule document for Jilin (version `2025.1`, effective 2021-01-01). Amounts in fen.
    /// Monitoring lines after 2021 and all expense thresholds beyond the published rules are assumed defaults;
    /// every key is documented in docs/RULES-risk.md.
    public static let defaultDocument = #"""
        {
          "ruleSet": "risk",
          "version": "2025.1",
          "effectiveFrom": "2021-01-01",
          "defaults": {
            "monitoringLineFen": {"2021": 600000, "2022": 650000, "2023": 700000, "2024": 730000, "2025": 760000},
            "income": {"sharpFallPercent": 30, "marginalPercent": 150},
            "householdType": {"precedence": ["monitoredMarginal", "monitoredSudden"]},
            "expenses": {
              "inpatientLiftedFen": 500000,
              "inpatientOtherFen": 2000000,
              "outpatientMonthlyFen": 50000,
              "schoolingYearlyFen": 1000000,
              "disasterFen": 1000000,
              "accidentFen": 1000000
            },
            "signalWindowDays": 365,
            "weights": {
              "incomeBelowLine": 5, "incomeSharpFall": 3, "inpatient": 3, "outpatient": 3, "schooling": 3,
              "disaster": 4, "accident": 3, "disability": 3, "labourLoss": 4, "visitHardship": 3,
              "selfApplication": 3, "benefitLoss": 3
            },
            "levels": {"low": 1, "medium": 3, "high": 6},
            "recommendAtLevel": "medium",
            "riskTypes": {
              "incomeBelowLine": "99", "incomeSharpFall": "07", "inpatient": "01", "outpatient": "01",
              "schooling": "09", "disaster": "02", "accident": "05", "disability": "03", "labourLoss": "04",
              "visitHardship": "99", "selfApplication": "99", "benefitLoss": "03"
            },
            "hardshipTypes": {
              "illness": "01", "medical": "01", "disaster": "02", "disability": "03", "labour": "04",
              "accident": "05", "business": "06", "employment": "07", "schooling": "09"
            },
            "otherRiskType": "99",
            "riskTypeNames": {
              "01": "因病", "02": "因灾", "03": "因残", "04": "因缺劳动力", "05": "因意外事故",
              "06": "因产业失败", "07": "因务工就业不稳", "09": "因学", "99": "其他"
            },
            "elimination": {
              "minMonitoredMonths": 6,
              "minIncomeAboveMonths": 6,
              "expenseResolvedMonths": 6,
              "securedIndicators": ["schooling", "illness", "medical", "housing", "water"]
            },
            "followUp": {"overdueDays": 30, "withoutAssistanceDays": 90}
          }
        }
        """#
}
