@echo off
rem The lab command on Windows: builds the lab tool on first use, then runs it.
setlocal
set "ROOT=%~dp0"
set "JAR=%ROOT%labs\target\switchboard-lab.jar"
if not exist "%JAR%" (
  echo Building the lab tool ^(first run^)... 1>&2
  call "%ROOT%mvnw.cmd" -q -B -DskipTests package -pl labs -am 1>&2 || exit /b 1
)
java -Dswitchboard.root="%ROOT:~0,-1%" -jar "%JAR%" %*
