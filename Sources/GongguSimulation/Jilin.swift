/// Static tables of the synthetic province: Jilin (吉林) prefectures and counties with their real
/// 6-digit codes; townships and villages below them are synthetic (3 + 3 digits).
enum Jilin {
    struct County {
        let code: String
        let name: String
        let prefecture: String
    }

    /// Prefecture code → Chinese name (2201 长春 … 2224 延边).
    static let prefectures: [(String, String)] = [
        ("2201", "长春市"), ("2202", "吉林市"), ("2203", "四平市"), ("2204", "辽源市"), ("2205", "通化市"),
        ("2206", "白山市"), ("2207", "松原市"), ("2208", "白城市"), ("2224", "延边朝鲜族自治州"),
    ]

    static let counties: [County] = [
        County(code: "220122", name: "农安县", prefecture: "2201"),
        County(code: "220182", name: "榆树市", prefecture: "2201"),
        County(code: "220183", name: "德惠市", prefecture: "2201"),
        County(code: "220221", name: "永吉县", prefecture: "2202"),
        County(code: "220281", name: "蛟河市", prefecture: "2202"),
        County(code: "220282", name: "桦甸市", prefecture: "2202"),
        County(code: "220322", name: "梨树县", prefecture: "2203"),
        County(code: "220323", name: "伊通满族自治县", prefecture: "2203"),
        County(code: "220421", name: "东丰县", prefecture: "2204"),
        County(code: "220422", name: "东辽县", prefecture: "2204"),
        County(code: "220521", name: "通化县", prefecture: "2205"),
        County(code: "220523", name: "辉南县", prefecture: "2205"),
        County(code: "220581", name: "梅河口市", prefecture: "2205"),
        County(code: "220621", name: "抚松县", prefecture: "2206"),
        County(code: "220622", name: "靖宇县", prefecture: "2206"),
        County(code: "220721", name: "前郭尔罗斯蒙古族自治县", prefecture: "2207"),
        County(code: "220722", name: "长岭县", prefecture: "2207"),
        County(code: "220723", name: "乾安县", prefecture: "2207"),
        County(code: "220821", name: "镇赉县", prefecture: "2208"),
        County(code: "220822", name: "通榆县", prefecture: "2208"),
        County(code: "220881", name: "洮南市", prefecture: "2208"),
        County(code: "222403", name: "敦化市", prefecture: "2224"),
        County(code: "222424", name: "汪清县", prefecture: "2224"),
        County(code: "222426", name: "安图县", prefecture: "2224"),
    ]

    /// Townships per county and villages per township (synthetic codes 1xx and 2xx).
    static let townships = 5
    static let villages = 6

    /// The 12-digit code of a village.
    static func village(county: Int, township: Int, village: Int) -> String {
        counties[county].code + "\(100 + township)" + "\(200 + village)"
    }

    static let surnames: [String] = Array(
        "王李张刘陈杨赵黄周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁于蒋蔡余杜叶程苏魏"
            + "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"
    ).map(String.init)

    static let givenMale: [String] = Array("伟强磊军勇杰涛明超刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳斌志国建文成海峰东亮春立新德福祥贵山")
        .map(String.init)
    static let givenFemale: [String] = Array("芳娜敏静丽艳娟霞秀玲桂英华红梅兰琴云凤洁莉萍雪颖慧淑珍玉荣燕丹蓉佳月春欣怡")
        .map(String.init)

    static let visitors: [String] = ["村委会", "驻村工作队", "乡镇残联", "网格员"]
}
