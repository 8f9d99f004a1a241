/** Material 3 theme (dynamic colour where the phone has it) and the risk/warning colours. */
package cn.gridpatrol.app.ui

import android.os.Build
import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.dynamicDarkColorScheme
import androidx.compose.material3.dynamicLightColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.platform.LocalContext
import cn.gridpatrol.core.RiskColour
import cn.gridpatrol.core.WarningLevel

@Composable
fun GridPatrolTheme(content: @Composable () -> Unit) {
    val dark = isSystemInDarkTheme()
    val context = LocalContext.current
    val colors = when {
        Build.VERSION.SDK_INT >= Build.VERSION_CODES.S -> if (dark) dynamicDarkColorScheme(context) else dynamicLightColorScheme(context)
        dark -> darkColorScheme()
        else -> lightColorScheme()
    }
    MaterialTheme(colorScheme = colors, content = content)
}

/** The colour of a venue's risk level (风险等级) or a warning level (预警). */
fun riskColor(colour: RiskColour): Color = when (colour) {
    RiskColour.RED -> Color(0xFFD32F2F)
    RiskColour.ORANGE -> Color(0xFFF57C00)
    RiskColour.YELLOW -> Color(0xFFFBC02D)
    RiskColour.BLUE -> Color(0xFF1976D2)
}

fun warningColor(level: WarningLevel): Color = when (level) {
    WarningLevel.RED -> riskColor(RiskColour.RED)
    WarningLevel.ORANGE -> riskColor(RiskColour.ORANGE)
    WarningLevel.YELLOW -> riskColor(RiskColour.YELLOW)
    WarningLevel.BLUE -> riskColor(RiskColour.BLUE)
}
