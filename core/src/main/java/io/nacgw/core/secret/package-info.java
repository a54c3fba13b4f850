/** The one type for secrets (shared secrets, client secrets, passwords): masked, compared in constant time. */
package io.nacgw.core.secret;
