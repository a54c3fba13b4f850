/**
 * Who is calling: {@link io.nacgw.nacapi.auth.AuthHandler} authenticates each request from its head (client
 * certificate role, HTTP Basic against {@link io.nacgw.nacapi.auth.PasswordHash}es, or a console session from
 * {@link io.nacgw.nacapi.auth.ConsoleSessions}) and checks the route group's role;
 * {@link io.nacgw.nacapi.auth.Authenticator} verifies off the event loop with a cache, single flight and the
 * per-source {@link io.nacgw.nacapi.auth.FailureLimiter}; {@link io.nacgw.nacapi.auth.AuthenticationWait} is the
 * pause-and-hold both the API and the console sign-in use while a password is verified. Public: users, settings and
 * the resolver the gateway supplies, and what the console's sign-in reuses.
 */
package io.nacgw.nacapi.auth;
