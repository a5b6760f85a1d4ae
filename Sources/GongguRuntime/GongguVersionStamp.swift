/// Where the version of a build comes from. This default says "not stamped"; a stamped tree has a
/// generated file (`GongguVersion+Stamp.generated.swift`, ignored by git, written by
/// `Services/version.sh --stamp`) declaring `extension GongguVersion { static var stamped: String? }`,
/// which member lookup prefers to this default. So a clean checkout builds without a generated file.
protocol GongguVersionStamp {}

extension GongguVersionStamp {
    static var stamped: String? { nil }
}
