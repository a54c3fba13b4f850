/** The {@code nacgw} subcommands: run, devices (import, get, explain), version. */
package io.nacgw.gateway.cli;
