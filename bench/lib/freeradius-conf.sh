#!/usr/bin/env bash
# Writes a private, minimal FreeRADIUS 3.2 configuration for MAB benchmarks and interop tests:
#   freeradius-conf.sh DIR PORT SECRET_FILE ALLOW_FILE [ALLOW_VLAN] [REQUIRE_MA]
# DIR          empty directory that becomes the -d confdir (logs and pid file go there too)
# PORT         UDP port on 127.0.0.1 for authentication
# SECRET_FILE  file holding the shared secret (first line); the secret is never echoed
# ALLOW_FILE   one MAC per line as 12 lower-case hex digits: the devices to accept (compliant and grace)
# ALLOW_VLAN   VLAN sent to accepted devices (default 100)
# REQUIRE_MA   yes|no: require Message-Authenticator in requests from the load generator (default yes)
# Every MAC in ALLOW_FILE gets PAP MAB (Cleartext-Password = the MAC, as switches send it) and an Accept with
# Tunnel-Type VLAN, Tunnel-Medium-Type IEEE-802 and Tunnel-Private-Group-Id; every other request is rejected.
# Start it with: freeradius -f -d DIR -l DIR/radius.log   (or -X for debugging)
set -euo pipefail
dir=$1 port=$2 secret_file=$3 allow_file=$4 vlan=${5:-100} require_ma=${6:-yes}
[[ -d $dir ]] || { echo "freeradius-conf.sh: $dir is not a directory" >&2; exit 2; }
[[ $port =~ ^[0-9]+$ ]] || { echo "freeradius-conf.sh: bad port '$port'" >&2; exit 2; }
[[ $require_ma == yes || $require_ma == no ]] || { echo "freeradius-conf.sh: REQUIRE_MA must be yes or no" >&2; exit 2; }
# shellcheck source=bench/lib/common.sh
. "$(dirname "$0")/common.sh"
secret=$(freeradius_secret freeradius-conf.sh "$secret_file")
dir=$(cd "$dir" && pwd)
mkdir -p "$dir/mods-config/files"

{ freeradius_preamble "$dir" "$secret" "$require_ma" "a minimal MAB server"; cat <<CONF
modules {
	files {
		filename = \${modconfdir}/files/authorize
	}
	pap {
		normalise = yes
	}
}
server default {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $port
		# as large a socket buffer as nacgw's radius.receiveBufferBytes default: a burst of 256 requests
		# overflows the kernel default (212992 bytes) and would show up as losses that are not FreeRADIUS's fault
		recv_buff = 4194304
	}
	authorize {
		files
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
	}
}
CONF
} > "$dir/radiusd.conf"

awk -v vlan="$vlan" 'NF {
	mac = tolower($1)
	printf "%s\tCleartext-Password := \"%s\"\n\tTunnel-Type = VLAN,\n\tTunnel-Medium-Type = IEEE-802,\n\tTunnel-Private-Group-Id = \"%s\"\n\n", mac, mac, vlan
}' "$allow_file" > "$dir/mods-config/files/authorize"
printf 'DEFAULT\tAuth-Type := Reject\n\tReply-Message = "Device not allowed"\n' >> "$dir/mods-config/files/authorize"
chmod 600 "$dir/radiusd.conf"
