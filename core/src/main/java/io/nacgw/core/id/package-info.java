/**
 * Device identifiers (MAC, serial, IMEI, MEID, UDID, Intune and Entra device ids), each parsed and normalised
 * once at the edge. Every type rejects garbage with an {@link io.nacgw.core.id.InvalidIdentifierException} whose
 * message says what was wrong.
 */
package io.nacgw.core.id;
