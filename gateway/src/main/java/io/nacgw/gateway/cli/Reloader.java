package io.nacgw.gateway.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Runs an action on SIGHUP (Unix), the conventional "reload your configuration" signal. The JDK's only signal API is
 * {@code sun.misc.Signal} (module jdk.unsupported); it is called through reflection because javac's warning about
 * it cannot be suppressed, and main code compiles with {@code -Werror}.
 */
final class Reloader {
    private static final Logger log = LoggerFactory.getLogger(Reloader.class);

    private Reloader() {
    }

    static void onSighup(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(Reloader.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            log.info("SIGHUP: reloading configuration");
                            action.run();
                            yield null;
                        }
                        case "equals" -> proxy == args[0];
                        case "hashCode" -> System.identityHashCode(proxy);
                        default -> "SIGHUP handler";
                    });
            signal.getMethod("handle", signal, handlerType)
                    .invoke(null, signal.getConstructor(String.class).newInstance("HUP"), handler);
        } catch (InvocationTargetException e) {
            // IllegalArgumentException (no such signal, or the JVM uses it) or UnsupportedOperationException
            log.warn("SIGHUP is not available here ({}); restart to apply configuration changes",
                    e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            log.warn("SIGHUP is not available here ({}); restart to apply configuration changes", e.toString());
        }
    }
}
