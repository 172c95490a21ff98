@echo off
rem The lab command on Windows: builds the lab tool on first use (and after the sources change), then runs it.
rem   lab.cmd up lab1      start lab 1 simulated (no Docker needed)
rem   lab.cmd --help       every command
rem ./lab is the same for Linux and macOS; both watch the same sources (LabScriptsTest checks it).
setlocal
set "ROOT=%~dp0"
set "JAR=%ROOT%labs\target\switchboard-lab.jar"
rem watched: pom.xml labs proxy docs testkit
set "STALE="
if not exist "%JAR%" set "STALE=1"
if not defined STALE (
  for /f "usebackq delims=" %%f in (`powershell -NoProfile -ExecutionPolicy Bypass -Command ^
      "$jar = (Get-Item -LiteralPath $env:JAR).LastWriteTime;" ^
      "$paths = @('pom.xml') + (@('labs','proxy','docs','testkit') | ForEach-Object { \"$_\src\main\", \"$_\pom.xml\" });" ^
      "$newer = $paths | ForEach-Object { Join-Path $env:ROOT $_ } | Where-Object { Test-Path -LiteralPath $_ } |" ^
      "  ForEach-Object { Get-ChildItem -LiteralPath $_ -Recurse -File } | Where-Object { $_.LastWriteTime -gt $jar } | Select-Object -First 1;" ^
      "if ($newer) { 'stale' }"`) do set "STALE=1"
)
if defined STALE (
  echo Building the lab tool ^(first run, or the sources changed^)... 1>&2
  call "%ROOT%mvnw.cmd" -q -B -DskipTests package -pl labs -am 1>&2 || exit /b 1
)
java -Dswitchboard.root="%ROOT:~0,-1%" -jar "%JAR%" %*
