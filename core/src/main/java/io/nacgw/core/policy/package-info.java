/**
 * Access policy: named network profiles, each with requirements and what each verdict means on the wire, and
 * their evaluation into a {@link io.nacgw.core.policy.Decision}. Pure functions of (device, profile, time).
 */
package io.nacgw.core.policy;
