/**
 * The typed configuration tree ({@link io.nacgw.gateway.config.NacgwConfig}) and its loader: one YAML file, then
 * environment ({@code NACGW_...}) and {@code -Dnacgw....} overrides, validated at start with messages naming the key.
 */
package io.nacgw.gateway.config;
