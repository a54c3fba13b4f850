/** The one way nacgw makes its own background threads: named, daemon, never blocking the JVM's exit. */
package io.nacgw.core.concurrent;
