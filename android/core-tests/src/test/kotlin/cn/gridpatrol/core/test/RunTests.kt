package cn.gridpatrol.core.test

import kotlin.system.exitProcess
import org.junit.internal.TextListener
import org.junit.runner.JUnitCore

/** Runs JUnit 4 classes named on the command line; prints `kotlin: N passed, N failed`. */
fun main(args: Array<String>) {
    val core = JUnitCore()
    core.addListener(TextListener(System.out))
    val result = core.run(*args.map { Class.forName(it) }.toTypedArray())
    val passed = result.runCount - result.failureCount - result.assumptionFailureCount
    println("kotlin: $passed passed, ${result.failureCount} failed")
    exitProcess(if (result.wasSuccessful() && result.runCount > 0) 0 else 1)
}
