package io.nacgw.certs;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * A place in a client certificate where an administrator may tell nacgw to find a device identifier: a kind of
 * subject alternative name, or a subject attribute. Values are read from the DER with BouncyCastle; unreadable
 * ones are left out, never thrown.
 */
public enum CertificateField {
    /** SAN URIs ({@code URI:…}). */
    URI_SAN,
    /** SAN DNS names ({@code DNS:…}). */
    DNS_SAN,
    /** SAN Microsoft UPN other-names ({@code othername:UPN:…}), as in Intune user and device certificates. */
    UPN_SAN,
    /** SAN e-mail addresses ({@code email:…}). */
    EMAIL_SAN,
    /** Subject common names. */
    SUBJECT_CN,
    /** Subject organisational units. */
    SUBJECT_OU,
    /** Subject serialNumber attributes (2.5.4.5). */
    SUBJECT_SERIALNUMBER;

    /** The config spelling, e.g. {@code dns-san}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every value of this field in {@code cert}, in certificate order. */
    public List<String> values(X509Certificate cert) {
        switch (this) {
            case URI_SAN: return Sans.values(Sans.read(cert), GeneralName.uniformResourceIdentifier);
            case DNS_SAN: return Sans.values(Sans.read(cert), GeneralName.dNSName);
            case UPN_SAN: return Sans.values(Sans.read(cert), GeneralName.otherName);
            case EMAIL_SAN: return Sans.values(Sans.read(cert), GeneralName.rfc822Name);
            case SUBJECT_CN: return Sans.subject(cert, BCStyle.CN);
            case SUBJECT_OU: return Sans.subject(cert, BCStyle.OU);
            case SUBJECT_SERIALNUMBER: return Sans.subject(cert, BCStyle.SERIALNUMBER);
            default: throw new AssertionError(this);
        }
    }
}
