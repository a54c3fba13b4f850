/**
 * The {@code nacgw} subcommands: run, reload, sync, sessions, devices (import, get, explain), certs (init, issue, list, revoke,
 * crl, inspect), loadtest, version.
 */
package io.nacgw.gateway.cli;
