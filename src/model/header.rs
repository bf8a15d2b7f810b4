//! Facts from the header lines of a backup: `#config-version=…`, `#buildno=…`,
//! `#global_vdom=…`, and oxidized `# Key: value` preambles. Best effort: anything not
//! recognised stays `None` ("unknown"), never an error.

use serde::Serialize;

/// What the header says about the unit and the backup.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Header {
    /// Platform code (`FGT60F`, `FG5H1E`) or marketing name (`FortiGate-501E`).
    pub model: Option<String>,
    /// Firmware version (`7.2.5`, `5.02`).
    pub firmware: Option<String>,
    /// Firmware build number.
    pub build: Option<u32>,
    /// `vdom=1` in `#config-version`, or a `#global_vdom=0:vd_name=…` VDOM backup.
    pub vdom_mode: Option<bool>,
    /// The admin who took the backup (`user=`); `daemon_admin` means FortiManager.
    pub user: Option<String>,
    /// `opmode=0` NAT, `1` transparent.
    pub opmode: Option<u8>,
    /// `#global_vdom=0:vd_name=<vdom>`: a backup of one VDOM only.
    pub vdom_scope: Option<String>,
    /// Unit serial number (oxidized `# Serial-Number:` line).
    pub serial: Option<String>,
    /// Host name from an oxidized `# Hostname:` line.
    pub hostname: Option<String>,
    /// Whether a `#config-version=` line was present (a real backup, not a fragment).
    pub has_version_line: bool,
}

impl Header {
    /// Reads the facts out of the leading comment lines (each given without its line break).
    /// The firmware as `(major, minor, patch)`, when the header names it.
    pub fn version(&self) -> Option<(u32, u32, u32)> {
        let mut parts = self
            .firmware
            .as_deref()?
            .split('.')
            .map(|p| p.parse::<u32>().ok());
        Some((
            parts.next()??,
            parts.next()??,
            parts.next().flatten().unwrap_or(0),
        ))
    }

    pub fn from_comments<'a>(lines: impl IntoIterator<Item = &'a str>) -> Header {
        let mut h = Header::default();
        for line in lines {
            let line = line.trim();
            if let Some(v) = line.strip_prefix("#config-version=") {
                h.has_version_line = true;
                h.read_config_version(v.trim_start());
            } else if let Some(v) = line.strip_prefix("#buildno=") {
                if h.build.is_none() {
                    h.build = v.trim().parse().ok();
                }
            } else if let Some(v) = line.strip_prefix("#global_vdom=") {
                h.read_global_vdom(v);
            } else if let Some(rest) = line.strip_prefix('#') {
                h.read_preamble(rest.trim());
            }
        }
        h
    }

    /// `FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin`, or the human form
    /// `FortiGate-VM64 v6.2.3,build1066,191218 (GA):opmode=1:…`.
    fn read_config_version(&mut self, v: &str) {
        let mut parts = v.split(':');
        let platform = parts.next().unwrap_or("");
        for kv in parts {
            if let Some((k, val)) = kv.split_once('=') {
                match k.trim() {
                    "opmode" => self.opmode = val.trim().parse().ok(),
                    "vdom" => self.vdom_mode = val.trim().parse::<u8>().ok().map(|x| x == 1),
                    "user" => self.user = Some(val.trim().to_owned()).filter(|s| !s.is_empty()),
                    _ => {}
                }
            }
        }
        if let Some((model, rest)) = platform.split_once(" v") {
            // Human form.
            self.model = Some(model.trim().to_owned());
            self.read_version_build(rest);
            return;
        }
        let fields: Vec<&str> = platform.split('-').collect();
        if let Some(fw_at) = fields.iter().position(|f| *f == "FW") {
            if fw_at >= 2 {
                self.model = Some(fields[..fw_at - 1].join("-"));
                self.firmware = version(fields[fw_at - 1]);
            }
            if let Some(b) = fields.get(fw_at + 1).and_then(|f| f.strip_prefix("build")) {
                self.build = b.parse().ok();
            }
        } else if let Some(first) = fields.first().filter(|f| !f.is_empty()) {
            self.model = Some((*first).to_owned());
        }
    }

    /// `v7.4.8,build2795,250523 (GA.M)` (after the `v`).
    fn read_version_build(&mut self, rest: &str) {
        let mut it = rest.split(',');
        if self.firmware.is_none() {
            self.firmware = it.next().and_then(|v| version(v.trim()));
        } else {
            it.next();
        }
        if self.build.is_none() {
            self.build = it
                .next()
                .and_then(|b| b.trim().strip_prefix("build"))
                .and_then(|b| b.parse().ok());
        }
    }

    /// `1`, `0:vd_name=root`, `0:vd_name=root/root`.
    fn read_global_vdom(&mut self, v: &str) {
        let mut parts = v.split(':');
        let global = parts.next().map(str::trim);
        for kv in parts {
            if let Some(name) = kv.trim().strip_prefix("vd_name=") {
                let name = name.split('/').next().unwrap_or(name).trim();
                if global == Some("0") && !name.is_empty() {
                    self.vdom_scope = Some(name.to_owned());
                }
            }
        }
    }

    /// oxidized / `get system status` lines: `Version: FortiGate-501E v7.4.8,build2795,…`.
    fn read_preamble(&mut self, line: &str) {
        let Some((key, val)) = line.split_once(':') else {
            return;
        };
        let val = val.trim();
        match key.trim() {
            "Version" => {
                if let Some((model, rest)) = val.split_once(" v") {
                    if self.model.is_none() {
                        self.model = Some(model.trim().to_owned());
                    }
                    self.read_version_build(rest);
                }
            }
            "Serial-Number" => self.serial = Some(val.to_owned()).filter(|s| !s.is_empty()),
            "Hostname" => self.hostname = Some(val.to_owned()).filter(|s| !s.is_empty()),
            "Virtual domain configuration" if self.vdom_mode.is_none() => {
                self.vdom_mode = Some(val != "disable");
            }
            _ => {}
        }
    }
}

/// `7.2.5`, `5.02`, `6.2.3`; `X.X.XX` (sanitised) is not a version.
fn version(s: &str) -> Option<String> {
    let ok = !s.is_empty()
        && s.split('.').count() >= 2
        && s.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_standard_header() {
        let h = Header::from_comments([
            "#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin",
            "#conf_file_ver=4400481758585290",
            "#buildno=1517",
            "#global_vdom=1",
        ]);
        assert_eq!(h.model.as_deref(), Some("FGT60F"));
        assert_eq!(h.firmware.as_deref(), Some("7.2.5"));
        assert_eq!(h.build, Some(1517));
        assert_eq!(h.vdom_mode, Some(false));
        assert_eq!(h.user.as_deref(), Some("admin"));
        assert_eq!(h.vdom_scope, None);
    }

    #[test]
    fn reads_odd_headers_without_failing() {
        let h = Header::from_comments([
            "#config-version=FortiGate-VM64 v6.2.3,build1066,191218 (GA):opmode=1:vdom=0:user=demo",
        ]);
        assert_eq!(h.model.as_deref(), Some("FortiGate-VM64"));
        assert_eq!(h.firmware.as_deref(), Some("6.2.3"));
        assert_eq!(h.build, Some(1066));
        assert_eq!(h.opmode, Some(1));

        let h = Header::from_comments([
            "#config-version=FG200F-X.X.XX-FW-buildXXXX-XXXXXX:opmode=0:vdom=0:user=scsadmin",
            "#global_vdom=1:vd_name=root",
        ]);
        assert_eq!(
            (h.model.as_deref(), h.firmware, h.build),
            (Some("FG200F"), None, None)
        );
        assert_eq!(h.vdom_scope, None);

        let h = Header::from_comments([
            "#config-version= FGVMK6-7.0.3-FW-build0237-211202:vdom=1",
            "#global_vdom=0:vd_name=root/root",
        ]);
        assert_eq!(h.firmware.as_deref(), Some("7.0.3"));
        assert_eq!(h.vdom_scope.as_deref(), Some("root"));

        let h = Header::from_comments([
            "# Version: FortiGate-501E v7.4.8,build2795,250523 (GA.M)",
            "# Serial-Number: FG5H1E0000000000",
            "# Hostname: OXI-FW121",
        ]);
        assert_eq!(h.model.as_deref(), Some("FortiGate-501E"));
        assert_eq!(h.firmware.as_deref(), Some("7.4.8"));
        assert_eq!(h.build, Some(2795));
        assert_eq!(h.serial.as_deref(), Some("FG5H1E0000000000"));
        assert_eq!(h.hostname.as_deref(), Some("OXI-FW121"));
        assert!(!h.has_version_line);

        assert_eq!(
            Header::from_comments(["#", "# random words: here"]),
            Header::default()
        );
    }
}
