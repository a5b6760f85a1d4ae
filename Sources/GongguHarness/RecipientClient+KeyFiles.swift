import Foundation
import GongguClients
import GongguRuntime
import GongguTransport

extension RecipientClient {
    /// Connects with the recipient's key file and the notifier's public key file (or a key itself).
    public convenience init(keyFile: String, serverPublicKeyFile: String, endpoint: String, lingerMs: Int32 = 1000) throws {
        let serverKey =
            CurveKeyPair.isValidKey(serverPublicKeyFile) ? serverPublicKeyFile : try KeyFiles.readPublic(serverPublicKeyFile)
        try self.init(keys: try KeyFiles.readPair(keyFile), serverKey: serverKey, endpoint: endpoint, lingerMs: lingerMs)
    }
}
