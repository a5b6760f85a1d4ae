import Foundation
import GongguCore
import GongguServices
import GongguVerify

// gonggu-verify: the benefit verifier (应享尽享, 四个不摘), a fold over intake facts.
ServiceMain.run(service: "verify") { config, _, _ in
    try VerifyService.behaviour(config: config)
}
