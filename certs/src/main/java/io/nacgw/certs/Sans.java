package io.nacgw.certs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Reads subject alternative names and the subject CN straight from the certificate's DER with BouncyCastle. The
 * JDK's own {@code getSubjectAlternativeNames()} gives up on the whole extension when one URI is not a valid
 * RFC 3986 URI — and Cisco's {@code ID:Microsoft Endpoint Manager:GUID:…} form contains spaces.
 */
final class Sans {
    static final ASN1ObjectIdentifier UPN = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.20.2.3");
    /** One name of the extension: its GeneralName tag and text value ({@code null} when unreadable). */
    record Name(int tag, String value) {
    }

    /** The names found, or the reason the extension could not be read at all. */
    record Result(List<Name> names, Optional<String> error) {
    }

    private Sans() {
    }

    static Result read(X509Certificate cert) {
        Extensions exts;
        try {
            exts = new X509CertificateHolder(cert.getEncoded()).getExtensions();
        } catch (CertificateEncodingException | IOException e) {
            return new Result(List.of(), Optional.of("certificate cannot be re-encoded: " + e.getMessage()));
        }
        if (exts == null) {
            return new Result(List.of(), Optional.empty());
        }
        Extension ext = exts.getExtension(Extension.subjectAlternativeName);
        if (ext == null) {
            return new Result(List.of(), Optional.empty());
        }
        GeneralNames names;
        try {
            names = GeneralNames.getInstance(ext.getParsedValue());
        } catch (RuntimeException e) {
            return new Result(List.of(), Optional.of("subjectAltName extension is not valid DER GeneralNames"));
        }
        List<Name> out = new ArrayList<>();
        for (GeneralName n : names.getNames()) {
            out.add(new Name(n.getTagNo(), text(n)));
        }
        return new Result(List.copyOf(out), Optional.empty());
    }

    /** The URI names only; an unreadable URI appears with a {@code null} value. */
    static List<String> uris(Result r) {
        List<String> out = new ArrayList<>();
        for (Name n : r.names()) {
            if (n.tag() == GeneralName.uniformResourceIdentifier) {
                out.add(n.value());
            }
        }
        return out;
    }

    private static String text(GeneralName n) {
        try {
            switch (n.getTagNo()) {
                case GeneralName.uniformResourceIdentifier:
                case GeneralName.dNSName:
                case GeneralName.rfc822Name:
                    return ((ASN1String) n.getName()).getString();
                case GeneralName.iPAddress:
                    byte[] ip = ASN1OctetString.getInstance(n.getName()).getOctets();
                    return InetAddress.getByAddress(ip).getHostAddress();
                case GeneralName.directoryName:
                    return X500Name.getInstance(n.getName()).toString();
                case GeneralName.otherName:
                    return upn(n);
                default:
                    return null;
            }
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    /** A Microsoft UPN otherName ({@code 1.3.6.1.4.1.311.20.2.3}, a UTF8String), else {@code null}. */
    private static String upn(GeneralName n) {
        ASN1Sequence seq = ASN1Sequence.getInstance(n.getName());
        if (seq.size() != 2 || !UPN.equals(ASN1ObjectIdentifier.getInstance(seq.getObjectAt(0)))) {
            return null;
        }
        ASN1Primitive value = ASN1TaggedObject.getInstance(seq.getObjectAt(1)).getExplicitBaseObject().toASN1Primitive();
        return value instanceof ASN1String ? ((ASN1String) value).getString() : null;
    }

    /** The values of the names with {@code tag} (a {@code GeneralName} tag; otherName means UPN), readable ones only. */
    static List<String> values(Result r, int tag) {
        List<String> out = new ArrayList<>();
        for (Name n : r.names()) {
            if (n.tag() == tag && n.value() != null) {
                out.add(n.value());
            }
        }
        return out;
    }

    /** The values of every {@code attribute} (e.g. {@link BCStyle#OU}) of the subject, in order. */
    static List<String> subject(X509Certificate cert, ASN1ObjectIdentifier attribute) {
        List<String> out = new ArrayList<>();
        try {
            X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
            for (RDN rdn : subject.getRDNs(attribute)) {
                for (org.bouncycastle.asn1.x500.AttributeTypeAndValue tv : rdn.getTypesAndValues()) {
                    if (attribute.equals(tv.getType())) {
                        out.add(IETFUtils.valueToString(tv.getValue()));
                    }
                }
            }
        } catch (RuntimeException e) {
            return List.of();
        }
        return out;
    }

    /** Display form as openssl prints it: {@code DNS:x}, {@code IP Address:x}, {@code URI:x}, {@code email:x}. */
    static String display(Name n) {
        String v = n.value() == null ? "<unreadable>" : Texts.printable(n.value());
        switch (n.tag()) {
            case GeneralName.uniformResourceIdentifier: return "URI:" + v;
            case GeneralName.dNSName: return "DNS:" + v;
            case GeneralName.rfc822Name: return "email:" + v;
            case GeneralName.iPAddress: return "IP Address:" + v;
            case GeneralName.directoryName: return "DirName:" + v;
            case GeneralName.otherName: return n.value() == null ? "othername:<unsupported>" : "othername:UPN:" + v;
            default: return "tag" + n.tag() + ":<unsupported>";
        }
    }

    /** The first CN of the subject, if any. */
    static Optional<String> commonName(X509Certificate cert) {
        try {
            X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
            RDN[] cns = subject.getRDNs(BCStyle.CN);
            if (cns.length == 0 || cns[0].getFirst() == null) {
                return Optional.empty();
            }
            return Optional.of(IETFUtils.valueToString(cns[0].getFirst().getValue()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
