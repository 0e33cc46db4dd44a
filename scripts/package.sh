#!/usr/bin/env bash
# Builds the Native AOT binary and the packages, into ./artifacts/:
#   artifacts/publish/linux-x64/bmpmond      (dotnet publish, Native AOT; any warning fails)
#   artifacts/bmpmond_<version>_amd64.deb    (dpkg-deb from packaging/deb/, checked with lintian)
#   artifacts/bmpmond-<version>.x86_64.rpm   (rpmbuild from packaging/rpm/bmpmond.spec, rpm -qlp)
# Dockerfile.aot runs the same publish command: change both together.
# Needs dpkg-deb, lintian and rpmbuild (Debian: apt-get install lintian rpm); as root it
# installs the missing ones itself. usage: scripts/package.sh [--skip-publish]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 LC_ALL=C.UTF-8

skip_publish=0
[[ ${1:-} == --skip-publish ]] && skip_publish=1

die() { echo "package.sh: $*" >&2; exit 1; }

need_tools() {
  local missing=()
  command -v dpkg-deb >/dev/null || missing+=(dpkg)
  command -v lintian >/dev/null || missing+=(lintian)
  command -v rpmbuild >/dev/null || missing+=(rpm)
  command -v man >/dev/null || missing+=(man-db)
  ((${#missing[@]} == 0)) && return
  [[ $(id -u) == 0 ]] || die "missing ${missing[*]}: apt-get install ${missing[*]}"
  echo "package.sh: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
need_tools

version=$(dotnet msbuild src/bmpmond/bmpmond.csproj -nologo -getProperty:Version)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "version '$version' from the project is not N.N.N"
changelog_version=$(sed -nE '1s/^bmpmond \(([^)]+)\).*/\1/p' packaging/deb/changelog)
[[ $changelog_version == "$version" ]] ||
  die "packaging/deb/changelog starts at $changelog_version, the project is $version: add an entry"
# Reproducible: every file time and the man page date come from the last commit.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)

artifacts=$root/artifacts
publish=$artifacts/publish/linux-x64
mkdir -p "$artifacts"

# 1. The binary. The same command as Dockerfile.aot.
if ((skip_publish == 0)); then
  rm -rf "$publish"
  log=$artifacts/publish.log
  echo "package.sh: dotnet publish (Native AOT, linux-x64) -> $publish"
  if ! dotnet publish src/bmpmond/bmpmond.csproj -c Release -r linux-x64 -p:PublishAot=true \
      -o "$publish" -nologo -clp:NoSummary >"$log" 2>&1; then
    cat "$log" >&2
    die "dotnet publish failed"
  fi
  if grep -Eiq ': warning [A-Z]+[0-9]+|warning (IL|CS|CA|NU)[0-9]+' "$log"; then
    grep -Ei 'warning' "$log" >&2
    die "dotnet publish printed warnings: AOT/trim warnings are errors here"
  fi
fi
binary=$publish/bmpmond
# The unstripped symbols, kept beside the packages for reading core dumps of this build.
dbg=src/bmpmond/bin/Release/net10.0/linux-x64/native/bmpmond.dbg
[[ -f $dbg ]] && cp "$dbg" "$artifacts/bmpmond-$version.dbg"
[[ -x $binary ]] || die "$binary missing (run without --skip-publish)"
"$binary" --version | grep -q "^bmpmond $version " || die "$binary --version does not say $version"

# 2. The files both packages install.
staging=$artifacts/staging
rm -rf "$staging"
mkdir -p "$staging"
packaging/gen-env.sh README.md >"$staging/bmpmond.env"
packaging/gen-man.sh "$version" "$date" README.md >"$staging/bmpmond.8"
man --warnings -l -Tutf8 "$staging/bmpmond.8" 2>"$staging/man.warnings" >/dev/null || true
[[ ! -s $staging/man.warnings ]] || { cat "$staging/man.warnings" >&2; die "bmpmond.8 has roff warnings"; }
gzip -9n -c "$staging/bmpmond.8" >"$staging/bmpmond.8.gz"
docs=(README.md docs/installation.md docs/configuration.md docs/operations.md docs/troubleshooting.md)
[[ -f docs/queries.md ]] && docs+=(docs/queries.md)

# 3. The .deb.
deb_root=$artifacts/deb-root
rm -rf "$deb_root"
install -d -m 0755 "$deb_root/DEBIAN" "$deb_root/usr/bin" "$deb_root/lib/systemd/system" "$deb_root/usr/lib/bmpmond" \
  "$deb_root/etc/bmpmond" "$deb_root/usr/share/doc/bmpmond" "$deb_root/usr/share/man/man8" \
  "$deb_root/usr/share/lintian/overrides"
install -m 0755 "$binary" "$deb_root/usr/bin/bmpmond"
install -m 0644 systemd/bmpmond.service systemd/bmpmond-backup.service systemd/bmpmond-backup.timer \
  "$deb_root/lib/systemd/system/"
install -m 0755 packaging/scripts/bmpmond-backup packaging/scripts/bmpmond-restore "$deb_root/usr/lib/bmpmond/"
install -m 0644 packaging/scripts/bmpmond-pg.sh "$deb_root/usr/lib/bmpmond/"
# 0640 root:root in the archive; postinst gives it to group bmpmond once the group exists.
install -m 0640 "$staging/bmpmond.env" "$deb_root/etc/bmpmond/bmpmond.env"
install -m 0644 "$staging/bmpmond.8.gz" "$deb_root/usr/share/man/man8/bmpmond.8.gz"
install -m 0644 packaging/deb/copyright "$deb_root/usr/share/doc/bmpmond/copyright"
gzip -9n -c packaging/deb/changelog >"$deb_root/usr/share/doc/bmpmond/changelog.gz"
chmod 0644 "$deb_root/usr/share/doc/bmpmond/changelog.gz"
for doc in "${docs[@]}"; do install -m 0644 "$doc" "$deb_root/usr/share/doc/bmpmond/"; done
install -m 0644 packaging/deb/lintian-overrides "$deb_root/usr/share/lintian/overrides/bmpmond"
install -m 0644 packaging/deb/conffiles "$deb_root/DEBIAN/conffiles"
install -m 0755 packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm "$deb_root/DEBIAN/"
installed_size=$(du -sk --exclude=DEBIAN "$deb_root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_size/" packaging/deb/control.in \
  >"$deb_root/DEBIAN/control"
(cd "$deb_root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
  xargs -0 md5sum >DEBIAN/md5sums)
chmod 0644 "$deb_root/DEBIAN/md5sums" "$deb_root/DEBIAN/control"
find "$deb_root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
deb=$artifacts/bmpmond_${version}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$deb_root" "$deb" >/dev/null
echo "package.sh: $deb"
lintian_out=$artifacts/lintian.txt
# Exit status 2 is lintian's own failure; errors (E:) fail the build, warnings are shown.
lintian --display-info --fail-on error "$deb" >"$lintian_out" 2>&1 ||
  { cat "$lintian_out" >&2; die "lintian found errors in $deb"; }
grep -v "^running with root" "$lintian_out" | sed "s/^/  lintian: /" || true

# 4. The .rpm, from the same staged files.
rpm_top=$artifacts/rpmbuild
rm -rf "$rpm_top"
mkdir -p "$rpm_top"/{SOURCES,SPECS,BUILD,RPMS,SRPMS,BUILDROOT}
cp "$binary" systemd/bmpmond.service "$staging/bmpmond.env" "$staging/bmpmond.8.gz" \
  packaging/deb/copyright systemd/bmpmond-backup.service systemd/bmpmond-backup.timer \
  packaging/scripts/bmpmond-backup packaging/scripts/bmpmond-restore packaging/scripts/bmpmond-pg.sh \
  "$rpm_top/SOURCES/"
for doc in "${docs[@]}"; do cp "$doc" "$rpm_top/SOURCES/"; done
rpm_docs=$(for doc in "${docs[@]}"; do basename "$doc"; done | tr '\n' ' ')
rpmbuild -bb --target x86_64 \
  --define "_topdir $rpm_top" --define "bmpmond_version $version" \
  --define "bmpmond_docs $rpm_docs" \
  --define "use_source_date_epoch_as_buildtime 1" --define "clamp_mtime_to_source_date_epoch 1" \
  packaging/rpm/bmpmond.spec >"$artifacts/rpmbuild.log" 2>&1 ||
  { cat "$artifacts/rpmbuild.log" >&2; die "rpmbuild failed"; }
rpm=$artifacts/bmpmond-${version}.x86_64.rpm
cp "$rpm_top/RPMS/x86_64/bmpmond-${version}-1.x86_64.rpm" "$rpm"
echo "package.sh: $rpm"

# 5. What each package holds.
expect=(/usr/bin/bmpmond /etc/bmpmond/bmpmond.env /usr/share/man/man8/bmpmond.8.gz
  /usr/share/doc/bmpmond/README.md /usr/share/doc/bmpmond/operations.md
  /usr/lib/bmpmond/bmpmond-backup /usr/lib/bmpmond/bmpmond-restore /usr/lib/bmpmond/bmpmond-pg.sh)
deb_listing=$(dpkg-deb -c "$deb")
deb_files=$(awk '{print substr($6, 2)}' <<<"$deb_listing")
rpm_files=$(rpm -qlp "$rpm" 2>/dev/null)
rpm_listing=$(rpm -qlpv "$rpm" 2>/dev/null)
rpm_config=$(rpm -qcp "$rpm" 2>/dev/null)
for f in "${expect[@]}" /lib/systemd/system/bmpmond.service /lib/systemd/system/bmpmond-backup.service \
  /lib/systemd/system/bmpmond-backup.timer /usr/share/doc/bmpmond/copyright; do
  grep -qx "$f" <<<"$deb_files" || die "$deb lacks $f"
done
for f in "${expect[@]}" /usr/lib/systemd/system/bmpmond.service /usr/lib/systemd/system/bmpmond-backup.service \
  /usr/lib/systemd/system/bmpmond-backup.timer /var/backups/bmpmond; do
  grep -qx "$f" <<<"$rpm_files" || die "$rpm lacks $f"
done
grep -q '^-rw-r----- root/root .* ./etc/bmpmond/bmpmond.env$' <<<"$deb_listing" ||
  die "$deb: /etc/bmpmond/bmpmond.env is not 0640"
grep -Eq '^-rw-r----- .* root +bmpmond .* /etc/bmpmond/bmpmond.env$' <<<"$rpm_listing" ||
  die "$rpm: /etc/bmpmond/bmpmond.env is not 0640 root:bmpmond"
grep -qx /etc/bmpmond/bmpmond.env <<<"$rpm_config" || die "$rpm: bmpmond.env is not %config"
echo "package.sh: ok: $(du -h "$binary" | cut -f1) binary, $(du -h "$deb" | cut -f1) .deb, $(du -h "$rpm" | cut -f1) .rpm"
