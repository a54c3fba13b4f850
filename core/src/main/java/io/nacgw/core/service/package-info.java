/**
 * The in-memory compliance index in front of the store: O(1) lookups by any identifier without touching the
 * database, write-through updates, change events, and bounded on-demand loading when the store outgrows memory.
 */
package io.nacgw.core.service;
