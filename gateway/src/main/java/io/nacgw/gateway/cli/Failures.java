package io.nacgw.gateway.cli;

import io.nacgw.certs.CertsException;
import io.nacgw.core.store.StoreException;
import io.nacgw.gateway.config.ConfigException;
import picocli.CommandLine;

/** Turns exceptions into one "nacgw: ..." line and an exit status; no stack traces for operator errors. */
final class Failures implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (e instanceof StoreException && msg.contains("database is locked")) {
            msg = "the store is in use by another process (a running gateway?): stop it first, or use the HTTPS API. "
                    + "(" + msg + ")";
        }
        cl.getErr().println("nacgw: " + msg);
        if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
            return 2;
        }
        if (!(e instanceof StoreException) && !(e instanceof CertsException) && !(e instanceof java.io.IOException)
                && !(e instanceof IllegalStateException)) {
            e.printStackTrace(cl.getErr());
        }
        return 1;
    }
}
