# Sourced by .ci/run and ./seedloop: makes JAVA_HOME point at a JDK >= 21.
# Keeps a JAVA_HOME (or java on PATH) that is recent enough; otherwise takes the newest JDK under
# /usr/lib/jvm (our machines ship Temurin 25 beside the default 17).
java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}
pick_java_home() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ]; then
    return 0
  fi
  if command -v java >/dev/null 2>&1; then
    candidate="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    if [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate")" -ge 21 ]; then
      export JAVA_HOME="$candidate"; return 0
    fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate="${candidate%/}"
    if [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate")" -ge 21 ]; then
      export JAVA_HOME="$candidate"; return 0
    fi
  done
  echo "Seedloop needs a JDK >= 21: set JAVA_HOME to one." >&2
  return 1
}
pick_java_home
export PATH="$JAVA_HOME/bin:$PATH"
