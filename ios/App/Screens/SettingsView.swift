// Settings: the account and server (re-enroll to change), the device id for support, the UI and
// label language (中文 default, English), and a check of the journal's hash chain and evidence.

import GridPatrolKit
import SwiftUI

struct SettingsView: View {
    @ObservedObject var settings: SettingsViewModel
    let onReEnroll: () -> Void

    var body: some View {
        let state = settings.state
        Form {
            if let account = state.account {
                Section {
                    Text("settings.account \(account.displayName) \(account.grids.joined(separator: ", "))")
                    Text("settings.server \(account.serverUrl)")
                    Button("settings.reenroll", action: onReEnroll)
                }
            }
            if let device = state.deviceId { Text("settings.device \(device)").font(.caption) }
            Picker("settings.language", selection: Binding(get: { state.language }, set: { settings.setLanguage($0) })) {
                Text(verbatim: "中文").tag("zh-CN")
                Text(verbatim: "English").tag("en")
            }
            Section {
                Button("settings.check") { settings.checkIntegrity() }.disabled(state.checking)
                if state.checking { ProgressView() }
                if let check = state.integrity {
                    if check.journalIntact && check.evidenceProblems == 0 {
                        Text("settings.check_ok \(Int(check.events)) \(Int(check.evidenceChecked))")
                    } else {
                        Text("settings.check_bad \(Int(check.events)) \(Int(check.evidenceChecked))").foregroundStyle(.red)
                    }
                }
            }
            ErrorBanner(error: state.error)
        }
        .navigationTitle("settings.title")
        .task { await settings.load().value }
    }
}
