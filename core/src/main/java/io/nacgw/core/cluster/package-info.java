/**
 * Shared mode: which node of several on one PostgreSQL store does the once-per-cluster work (the MDM sync, and
 * whatever else must run on exactly one node), and how the nodes name themselves.
 */
package io.nacgw.core.cluster;
