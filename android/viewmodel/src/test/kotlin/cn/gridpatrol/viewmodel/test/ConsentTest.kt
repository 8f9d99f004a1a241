package cn.gridpatrol.viewmodel.test

import cn.gridpatrol.viewmodel.app.AppPhase
import cn.gridpatrol.viewmodel.app.AppViewModel
import cn.gridpatrol.viewmodel.session.ErrorKind
import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Before
import org.junit.Test

/**
 * First run and enrollment failures: nothing is opened or collected before consent, a declined
 * consent keeps it that way, consent is asked once, and enrollment errors come back typed.
 */
class ConsentTest {
    private lateinit var platform: TestPlatform
    private lateinit var app: AppViewModel

    @Before
    fun setUp() {
        platform = TestPlatform(fix = null)
        app = AppViewModel(platform.services, platform.scope, platform.dispatchers)
    }

    @After
    fun tearDown() {
        app.close()
        platform.close()
    }

    @Test
    fun declinedConsentOpensAndCollectsNothing() {
        app.start().await()
        app.declineConsent().await()
        assertEquals(AppPhase.CONSENT_DECLINED, app.state.value.phase)
        assertNull(app.screens)
        assertFalse(platform.files.databaseFile.exists())
        assertFalse(platform.files.evidenceDir.exists())
        assertEquals(0, platform.locationCalls.get())
        assertNull(platform.preferences.consentVersion)
        app.reviewConsent().await()
        assertEquals(AppPhase.NEEDS_CONSENT, app.state.value.phase)
    }

    @Test
    fun consentIsAskedOnceThenTheCoreOpensAtStart() {
        app.start().await()
        app.acceptConsent().await()
        assertEquals(AppPhase.NEEDS_ENROLLMENT, app.state.value.phase)
        assertTrue(platform.files.databaseFile.exists())
        app.close()

        val again = AppViewModel(platform.services, platform.scope, platform.dispatchers)
        again.start().await()
        assertEquals(AppPhase.NEEDS_ENROLLMENT, again.state.value.phase)
        again.close()
    }

    @Test
    fun enrollmentErrorsAreTypedAndKeepTheForm() {
        app.start().await()
        app.acceptConsent().await()
        val enrollment = assertNotNull(app.screens).enrollment
        enrollment.setServerUrl("not a url")
        enrollment.setCode("ABCD")
        assertFalse(enrollment.state.value.canEnroll)

        ServerStub.start().use { server ->
            enrollment.setServerUrl(server.url)
            enrollment.setCode("WRONG-CODE-0000")
            enrollment.enroll().await()
            val refused = enrollment.state.value
            assertEquals(ErrorKind.REJECTED, refused.error?.kind)
            assertFalse(refused.enrolling)
            assertEquals("WRONG-CODE-0000", refused.code)
            assertEquals(AppPhase.NEEDS_ENROLLMENT, app.state.value.phase)
        }
        // The server is gone now: the same form fails as a network error.
        enrollment.enroll().await()
        assertEquals(ErrorKind.NETWORK, enrollment.state.value.error?.kind)
    }
}
