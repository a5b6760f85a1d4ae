import Foundation
import GongguEvents
import GongguHarness
import GongguRuntime
import GongguServices
import GongguSimulation

extension DemoCommand {
    /// The `GONGGU_*` settings that point the CLI at the running demo (control endpoints, key folder,
    /// recipient directory) as `export` lines to paste into another shell, and the CURVE endpoints
    /// with the server keys a client needs. Printed once the services are up, and again before
    /// `--keep-running` waits.
    static func printOperatorSettings(_ launcher: PipelineLauncher) {
        func quoted(_ value: String) -> String { "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        print("== 操作员设置 Operator settings（复制到另一个终端 / paste into another shell）==")
        for s in PipelineLauncher.services {
            print("export GONGGU_\(s.uppercased())_CONTROL=\(quoted(launcher.control(s)))")
        }
        print("export GONGGU_KEYS_DIRECTORY=\(quoted(launcher.keysDirectory))")
        print("export \(Config.environmentName("recipients.directory_file"))=\(quoted("\(launcher.configDirectory)/recipients.json"))")
        print("# 数据 data: \(launcher.dataDirectory) (gonggu log verify \(launcher.logPath(Service.intake.rawValue)))")
        print("# 服务配置 service configuration: \(launcher.configDirectory)/{intake,verify,risk,notify}.json")
        let intakeKey = launcher.publicKeyFile(Service.intake.rawValue)
        let notifyKey = launcher.publicKeyFile(Service.notify.rawValue)
        print("# 提交端 submission (CURVE): \(launcher.submissionEndpoint), server key \(intakeKey)")
        print("# 接收端 recipients (CURVE): \(launcher.recipientEndpoint), server key \(notifyKey)")
        print("# 例 e.g.: gonggu status; gonggu keys list; gonggu tick \(Simulator.referenceDate);")
        print(
            "#   gonggu recipient --key \(launcher.keyFile("\(demoCounty)-bureau")) --server-key "
                + "\(launcher.publicKeyFile(Service.notify.rawValue)) --endpoint \(launcher.recipientEndpoint)")
    }
}
