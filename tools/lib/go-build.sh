# Shared by the tool builders (tools/envtest/build.sh, tools/helm/build.sh); source it, do not run it.
# Builds a Go command from a wrapper module (a go.mod + go.sum committed under tools/) into a cache
# outside the repository and reuses it while the wrapper's pins are unchanged.
#
# The caller defines log <message…> (progress to stderr).

# Hash of a wrapper module's go.mod and go.sum: a cached binary built from other pins is rebuilt.
module_stamp() { cat "$1/go.mod" "$1/go.sum" | sha256sum | cut -d' ' -f1; }

# go_build_cached <target path> <module dir> <go package> <ldflags> [note shown before a build]
# Reuses <target> when it exists and <target>.stamp matches the module's pins; otherwise builds it
# next to the target and renames it, so an interrupted build never leaves a truncated binary.
# Callers that may run concurrently hold a lock around this (see build.sh's flock).
go_build_cached() {
  local target="$1" module="$2" package="$3" ldflags="$4" note="${5:-}"
  local stamp_file="$target.stamp" stamp
  stamp="$(module_stamp "$module")"
  if [ -x "$target" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
    log "reusing $target"
    return
  fi
  log "building $(basename "$target") from $module/go.mod"
  [ -z "$note" ] || log "($note)"
  local started=$SECONDS
  mkdir -p "$(dirname "$target")"
  (cd "$module" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$target.partial" "$package") >&2
  mv -f "$target.partial" "$target"
  printf '%s\n' "$stamp" >"$stamp_file"
  log "built $target in $((SECONDS - started)) s"
}
