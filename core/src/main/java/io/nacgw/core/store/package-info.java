/**
 * Durable compliance records: the {@link io.nacgw.core.store.ComplianceStore} interface and its JDBC
 * implementation for embedded H2 (default) and PostgreSQL (shared by many nodes), schema managed by Flyway.
 */
package io.nacgw.core.store;
