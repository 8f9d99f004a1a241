/** The single activity: hosts the Compose UI and starts the root view model. */
package cn.gridpatrol.app

import android.os.Bundle
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.appcompat.app.AppCompatActivity
import cn.gridpatrol.app.ui.AppRoot
import cn.gridpatrol.app.ui.GridPatrolTheme

class MainActivity : AppCompatActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        enableEdgeToEdge()
        val application = application as GridPatrolApp
        application.app.start()
        setContent {
            GridPatrolTheme {
                AppRoot(application.app)
            }
        }
    }
}
