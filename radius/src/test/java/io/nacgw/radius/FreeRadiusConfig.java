package io.nacgw.radius;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The common part of a private FreeRADIUS 3.2 configuration in a test's directory: paths, limits, file logging
 * and the security section; each test appends its clients, modules and servers.
 */
public final class FreeRadiusConfig {
    private FreeRadiusConfig() {
    }

    /** Creates {@code run/}, {@code log/} and an empty local dictionary in {@code dir}; returns the preamble. */
    public static String preamble(Path dir, boolean statusServer) throws IOException {
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("log"));
        Files.writeString(dir.resolve("dictionary"), "");
        return """
                prefix = /usr
                exec_prefix = /usr
                sysconfdir = /etc
                localstatedir = /var
                sbindir = /usr/sbin
                logdir = DIR/log
                raddbdir = DIR
                radacctdir = DIR/log
                name = freeradius
                confdir = ${raddbdir}
                modconfdir = ${confdir}/mods-config
                run_dir = DIR/run
                db_dir = DIR
                libdir = /usr/lib/freeradius
                pidfile = ${run_dir}/freeradius.pid
                max_request_time = 30
                cleanup_delay = 5
                max_requests = 65536
                hostname_lookups = no
                log {
                \tdestination = files
                \tfile = ${logdir}/radius.log
                \tauth = yes
                }
                security {
                \tallow_core_dumps = no
                \tmax_attributes = 200
                \treject_delay = 0
                \tstatus_server = STATUS
                }
                """.replace("DIR", dir.toString()).replace("STATUS", statusServer ? "yes" : "no");
    }
}
