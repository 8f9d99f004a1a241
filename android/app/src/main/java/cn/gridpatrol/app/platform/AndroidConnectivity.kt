/**
 * Connectivity from ConnectivityManager's default-network callback (validated internet), which
 * the sync controller turns into the core's `setOnline`. Registered on first use, i.e. after
 * consent.
 */
package cn.gridpatrol.app.platform

import android.content.Context
import android.net.ConnectivityManager
import android.net.Network
import android.net.NetworkCapabilities
import cn.gridpatrol.viewmodel.platform.Connectivity
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow

class AndroidConnectivity(context: Context) : Connectivity {
    private val manager = context.applicationContext.getSystemService(ConnectivityManager::class.java)
    private val state = MutableStateFlow(false)

    override val online: StateFlow<Boolean> by lazy {
        manager.registerDefaultNetworkCallback(object : ConnectivityManager.NetworkCallback() {
            override fun onCapabilitiesChanged(network: Network, capabilities: NetworkCapabilities) {
                state.value = capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET) &&
                    capabilities.hasCapability(NetworkCapabilities.NET_CAPABILITY_VALIDATED)
            }

            override fun onLost(network: Network) {
                state.value = false
            }

            override fun onUnavailable() {
                state.value = false
            }
        })
        state
    }
}
