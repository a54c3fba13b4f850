/**
 * Device files: the JSON device format shared by import, the CLI and the APIs ({@link io.nacgw.gateway.imports.DeviceJson}),
 * CSV with the same column names, and the streaming {@link io.nacgw.gateway.imports.DeviceImporter}.
 */
package io.nacgw.gateway.imports;
