/**
 * Durable compliance records: the {@link io.nacgw.core.store.ComplianceStore} interface and its JDBC
 * implementation for embedded SQLite (default, WAL) and PostgreSQL (shared by many nodes), schema managed by Flyway.
 */
package io.nacgw.core.store;
