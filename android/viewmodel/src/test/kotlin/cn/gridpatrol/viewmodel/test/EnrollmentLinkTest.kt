package cn.gridpatrol.viewmodel.test

import cn.gridpatrol.viewmodel.enroll.EnrollmentLink
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Test

/** The enrollment QR code's two spellings, and what is not one. */
class EnrollmentLinkTest {
    @Test
    fun appSchemeCarriesServerAndCode() {
        assertEquals(
            EnrollmentLink("https://sync.example.cn/jinsong", "A4ZE-2JXJ-DYWD"),
            EnrollmentLink.parse("gridpatrol://enroll?server=https%3A%2F%2Fsync.example.cn%2Fjinsong%2F&code=A4ZE-2JXJ-DYWD"),
        )
    }

    @Test
    fun httpsEnrollPathUsesTheOrigin() {
        assertEquals(
            EnrollmentLink("https://sync.example.cn:8443", "A4ZE"),
            EnrollmentLink.parse("https://sync.example.cn:8443/enroll?code=A4ZE"),
        )
        assertEquals(
            EnrollmentLink("http://127.0.0.1:8700/street", "X"),
            EnrollmentLink.parse(" http://127.0.0.1:8700/street/enroll/?code=X "),
        )
    }

    @Test
    fun venueCodesAndJunkAreNotEnrollmentLinks() {
        assertNull(EnrollmentLink.parse("https://sync.example.cn/q/AQAAAAFn"))
        assertNull(EnrollmentLink.parse("gridpatrol://enroll?code=A4ZE"))
        assertNull(EnrollmentLink.parse("gridpatrol://enroll?server=ftp%3A%2F%2Fx&code=A"))
        assertNull(EnrollmentLink.parse("WIFI:S:cafe;T:WPA;P:secret;;"))
        assertNull(EnrollmentLink.parse("https://sync.example.cn/enroll?code="))
        assertTrue(EnrollmentLink.isHttpUrl("http://127.0.0.1:1234"))
        assertFalse(EnrollmentLink.isHttpUrl("127.0.0.1:1234"))
    }
}
