/** Log policy shared by every transport: what a peer can trigger is logged at most once per peer per interval. */
package io.nacgw.core.log;
