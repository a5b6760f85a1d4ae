import Foundation
import GongguCore
import GongguRisk
import GongguServices

// gonggu-risk: the risk monitor (防返贫监测), a fold over intake facts and verifier findings.
ServiceMain.run(service: "risk") { config, _, _ in
    try RiskService.behaviour(config: config)
}
