#!/usr/bin/env bash
# Writes a private, minimal FreeRADIUS 3.2 configuration for EAP-TLS benchmarks:
#   freeradius-eap-conf.sh DIR PORT SECRET_FILE SERVER_CERT SERVER_KEY DEVICE_CA [VLAN] [TLS_MAX] [FRAGMENT]
# DIR          empty directory that becomes the -d confdir (logs, pid file and the TLS session cache go there too)
# PORT         UDP port on 127.0.0.1 for authentication
# SECRET_FILE  file holding the shared secret (first line); the secret is never echoed
# SERVER_CERT, SERVER_KEY  PEM chain and unencrypted key EAP-TLS presents
# DEVICE_CA    PEM of the CA that issues the device certificates (the only one trusted)
# VLAN         Tunnel-Private-Group-Id of every Access-Accept (default 100): FreeRADIUS knows no device state, so
#              every valid certificate gets it
# TLS_MAX      tls_max_version, 1.2 (FreeRADIUS's recommendation, the default) or 1.3
# FRAGMENT     fragment_size (default 1000, nacgw's radius.eap.tls.fragmentSize default)
# The eap module (tls-config with session resumption on: cache enable = yes with a name and persist_dir, the only
# session store FreeRADIUS 3.2 resumes from: two small files per session in DIR/tlscache) is the only authorize/authenticate
# step; Message-Authenticator is required in requests. Start it with: freeradius -f -d DIR -l DIR/radius.log
set -euo pipefail
dir=$1 port=$2 secret_file=$3 cert=$4 key=$5 ca=$6 vlan=${7:-100} tls_max=${8:-1.2} fragment=${9:-1000}
[[ -d $dir ]] || { echo "freeradius-eap-conf.sh: $dir is not a directory" >&2; exit 2; }
[[ $port =~ ^[0-9]+$ ]] || { echo "freeradius-eap-conf.sh: bad port '$port'" >&2; exit 2; }
[[ $tls_max == 1.2 || $tls_max == 1.3 ]] || { echo "freeradius-eap-conf.sh: TLS_MAX must be 1.2 or 1.3" >&2; exit 2; }
# shellcheck source=bench/lib/common.sh
. "$(dirname "$0")/common.sh"
secret=$(freeradius_secret freeradius-eap-conf.sh "$secret_file")
dir=$(cd "$dir" && pwd)
mkdir -p "$dir/tlscache"

{ freeradius_preamble "$dir" "$secret" yes "a minimal EAP-TLS server"; cat <<CONF
modules {
	eap {
		default_eap_type = tls
		timer_expire = 60
		ignore_unknown_eap_types = no
		max_sessions = 100000
		tls-config tls-common {
			private_key_file = $key
			certificate_file = $cert
			ca_file = $ca
			fragment_size = $fragment
			include_length = yes
			cipher_list = "DEFAULT"
			ecdh_curve = ""
			tls_min_version = "1.2"
			tls_max_version = "$tls_max"
			# FreeRADIUS 3.2 resumes only from its own store: OpenSSL's internal cache is disabled, and without
			# "name" and "persist_dir" every offered session id gets a full handshake (mods-available/eap)
			cache {
				enable = yes
				lifetime = 1
				max_entries = 100000
				name = "nacgw-bench"
				persist_dir = "$dir/tlscache"
			}
			verify {
			}
		}
		tls {
			tls = tls-common
		}
	}
}
server default {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $port
		recv_buff = 4194304
	}
	authorize {
		eap {
			ok = return
		}
	}
	authenticate {
		Auth-Type eap {
			eap
		}
	}
	post-auth {
		update reply {
			Tunnel-Type := VLAN
			Tunnel-Medium-Type := IEEE-802
			Tunnel-Private-Group-Id := "$vlan"
		}
	}
}
CONF
} > "$dir/radiusd.conf"
chmod 600 "$dir/radiusd.conf"
