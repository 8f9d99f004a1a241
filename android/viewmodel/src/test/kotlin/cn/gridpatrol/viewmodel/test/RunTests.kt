package cn.gridpatrol.viewmodel.test

import kotlin.system.exitProcess
import org.junit.internal.TextListener
import org.junit.runner.JUnitCore

/** Every view-model test class; scripts/test-android runs them all. */
private val ALL_TESTS = listOf(
    ScriptedDayTest::class.java,
    ConsentTest::class.java,
    EnrollmentLinkTest::class.java,
    ChecklistSectionsTest::class.java,
    HomeAndHazardListsTest::class.java,
    WarningsAndReportsTest::class.java,
    TokenStoreTest::class.java,
    WarningDraftTest::class.java,
)

/** Runs the JUnit 4 classes named on the command line (all when none); prints `viewmodels: N passed, N failed`. */
fun main(args: Array<String>) {
    val classes = if (args.isEmpty()) ALL_TESTS else args.map { Class.forName(it) }
    val core = JUnitCore()
    core.addListener(TextListener(System.out))
    val result = core.run(*classes.toTypedArray())
    val passed = result.runCount - result.failureCount - result.assumptionFailureCount
    println("viewmodels: $passed passed, ${result.failureCount} failed")
    exitProcess(if (result.wasSuccessful() && result.runCount > 0) 0 else 1)
}
