/** Owner-only creation of the files and directories the gateway keeps under its data directory. */
package io.nacgw.core.files;
