// The bearer token in the Keychain, for this device only: a generic-password item readable after
// the first unlock (background sync runs while the phone is locked), never backed up or moved
// to another phone (`…ThisDeviceOnly`: a restored device must enroll again, so two phones never
// share one device's identity and hash chain).
//
// It is the core's `CredentialStore` (a uniffi foreign trait): CoreSession.open sets it with
// `setCredentialStore` before anything reads the enrollment. The core calls it on its own
// threads; every method is one Keychain call, which is thread-safe.

import Foundation
import GridPatrolCore
import os
import Security

/// Loads and saves one bearer token in the Keychain. Thread-safe: every call is one Keychain call.
public final class KeychainTokenStore: CredentialStore {
    private let service: String
    private let account: String
    private static let log = Logger(subsystem: "cn.gridpatrol.app", category: "keychain")

    /// `service` and `account` name the item; tests pass their own service.
    public init(service: String = "cn.gridpatrol.sync", account: String = "bearer-token") {
        self.service = service
        self.account = account
    }

    /// The stored token, or nil when there is none (or the Keychain cannot be read yet).
    public func loadToken() -> String? {
        var query = baseQuery
        query[kSecReturnData] = true
        query[kSecMatchLimit] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        guard status == errSecSuccess, let data = item as? Data else {
            if status != errSecItemNotFound { Self.log.error("token read failed: \(status, privacy: .public)") }
            return nil
        }
        return String(data: data, encoding: .utf8)
    }

    /// Replaces the stored token; nil deletes it. False when the Keychain refused (the core then
    /// keeps the token where it was and reports a Storage error).
    public func saveToken(token: String?) -> Bool {
        guard let token else {
            let status = SecItemDelete(baseQuery as CFDictionary)
            if status != errSecSuccess && status != errSecItemNotFound {
                Self.log.error("token delete failed: \(status, privacy: .public)")
                return false
            }
            return true
        }
        let data = Data(token.utf8)
        let update: [CFString: Any] = [kSecValueData: data, kSecAttrAccessible: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly]
        var status = SecItemUpdate(baseQuery as CFDictionary, update as CFDictionary)
        if status == errSecItemNotFound {
            var add = baseQuery
            add.merge(update) { _, new in new }
            status = SecItemAdd(add as CFDictionary, nil)
        }
        // The token never appears in logs; only the OSStatus does.
        if status != errSecSuccess { Self.log.error("token save failed: \(status, privacy: .public)") }
        return status == errSecSuccess
    }

    private var baseQuery: [CFString: Any] {
        [kSecClass: kSecClassGenericPassword, kSecAttrService: service, kSecAttrAccount: account]
    }
}
