#!/usr/bin/env bash
# A private mail server (Rnwood.Smtp4dev) under a data folder, bound to 127.0.0.1 only: SMTP for what the platform
# sends, IMAP for the support mailbox it reads, and a web page that shows every message.
#   infra/mail.sh start DIR SMTP_PORT IMAP_PORT WEB_PORT   start (installing the tool under DIR/tool when missing); idempotent
#   infra/mail.sh stop DIR                                  stop the server
#   infra/mail.sh status DIR                                exit 0 when its SMTP port answers
#   infra/mail.sh env DIR                                   the Msp__Mail__* settings a service needs for it
# Mail to support*@... lands in the "Support" mailbox (IMAP user "support"); everything else in the catch-all "Default"
# mailbox (IMAP user "inbox"), where tests read what a person would receive. The generated password of both IMAP users
# is kept in DIR/credentials (mode 600), never in the repo. POP3 is off.
set -euo pipefail
cmd=${1:?command}; dir=${2:?data folder}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
version=3.15.0

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

case "$cmd" in
  start)
    smtp=${3:?smtp port}; imap=${4:?imap port}; web=${5:?web port}
    if [ ! -x "$dir/tool/smtp4dev" ]; then
      echo "installing Rnwood.Smtp4dev $version" >&2
      dotnet tool install --tool-path "$dir/tool" Rnwood.Smtp4dev --version "$version" >&2
    fi
    if [ ! -f "$dir/credentials" ]; then
      head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$dir/credentials"; chmod 600 "$dir/credentials"
    fi
    printf '%s\n' "$smtp" "$imap" "$web" > "$dir/ports"
    if answers "$smtp" && [ -f "$dir/smtp4dev.pid" ] && kill -0 "$(cat "$dir/smtp4dev.pid")" 2>/dev/null; then exit 0; fi
    for p in "$smtp" "$imap" "$web"; do
      if answers "$p"; then echo "the mail server cannot start: something else listens on 127.0.0.1:$p" >&2; exit 1; fi
    done
    pass=$(cat "$dir/credentials")
    mkdir -p "$dir/data"
    # Settings through the environment (ASP.NET configuration), so no file of the tool's is edited.
    ( cd "$dir" && exec env \
        ServerOptions__Users__0__Username=support ServerOptions__Users__0__Password="$pass" ServerOptions__Users__0__DefaultMailbox=Support \
        ServerOptions__Users__1__Username=inbox ServerOptions__Users__1__Password="$pass" ServerOptions__Users__1__DefaultMailbox=Default \
        ServerOptions__Mailboxes__0__Name=Support ServerOptions__Mailboxes__0__Recipients='support*@*' \
        ServerOptions__DeliverMessagesToUsersDefaultMailbox=false ServerOptions__SmtpAllowAnyCredentials=false \
        XDG_CONFIG_HOME="$dir/data" \
        setsid "$dir/tool/smtp4dev" --nousersettings --bindaddress=127.0.0.1 --disableipv6 --hostname=localhost \
          --smtpport="$smtp" --imapport="$imap" --pop3port="" --urls="http://127.0.0.1:$web" \
          --db="$dir/data/smtp4dev.db" --messagestokeep=100000 --sessionstokeep=100 --relaysmtpserver="" \
        > "$dir/smtp4dev.log" 2>&1 < /dev/null ) &
    echo $! > "$dir/smtp4dev.pid"
    for _ in $(seq 1 120); do
      if answers "$smtp" && answers "$imap" && answers "$web"; then exit 0; fi
      kill -0 "$(cat "$dir/smtp4dev.pid")" 2>/dev/null || break
      sleep 0.5
    done
    echo "the mail server did not start; the end of its log:" >&2; tail -n 30 "$dir/smtp4dev.log" >&2; exit 1 ;;
  stop)
    [ -f "$dir/smtp4dev.pid" ] || exit 0
    pid=$(cat "$dir/smtp4dev.pid"); rm -f "$dir/smtp4dev.pid"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || exit 0
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true ;;
  status)
    [ -f "$dir/ports" ] && answers "$(sed -n 1p "$dir/ports")" ;;
  env) # the settings a service needs to send through this server and read its support mailbox
    { read -r smtp; read -r imap; read -r web; } < "$dir/ports"
    echo "Msp__Mail__Smtp__Host=127.0.0.1 Msp__Mail__Smtp__Port=$smtp Msp__Mail__Smtp__Security=None"
    echo "Msp__Mail__Imap__Host=127.0.0.1 Msp__Mail__Imap__Port=$imap Msp__Mail__Imap__Security=None Msp__Mail__Imap__Username=support Msp__Mail__Imap__Password=$(cat "$dir/credentials")"
    echo "web=http://127.0.0.1:$web" ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
