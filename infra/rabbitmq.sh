#!/usr/bin/env bash
# A private RabbitMQ node under a data folder, bound to 127.0.0.1 only.
#   infra/rabbitmq.sh start DIR PORT     start (PORT > 10000; Erlang distribution uses PORT - 10000) (installing rabbitmq-server when missing); idempotent
#   infra/rabbitmq.sh stop DIR           stop the node
#   infra/rabbitmq.sh pause|resume DIR   stop or start only the broker application (fast; tests use it)
#   infra/rabbitmq.sh vhost DIR NAME     create a virtual host (tests isolate themselves with one); prints its URI
#   infra/rabbitmq.sh queue-depth DIR VHOST QUEUE   messages waiting in a queue
# The generated user and password are kept in DIR/credentials (user:password), never in the repo.
set -euo pipefail
cmd=${1:?command}; dir=${2:?data folder}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
bin=/usr/lib/rabbitmq/bin

node_env() {
  local port
  port=$(cat "$dir/port")
  export HOME="$dir" # the Erlang cookie lives here, shared by server and rabbitmqctl
  export RABBITMQ_NODENAME="msp$port@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port"
  export RABBITMQ_DIST_PORT=$((port - 10000)) ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_PID_FILE="$dir/rabbit.pid"
  export ERL_CRASH_DUMP="$dir/erl_crash.dump"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

ctl() { node_env; "$bin/rabbitmqctl" -n "$RABBITMQ_NODENAME" "$@"; }

case "$cmd" in
  start)
    port=${3:?port}
    if [ ! -x "$bin/rabbitmq-server" ]; then
      echo "installing rabbitmq-server" >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server) >&2
    fi
    echo "$port" > "$dir/port"
    if [ ! -f "$dir/credentials" ]; then
      pass=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
      echo "msp:$pass" > "$dir/credentials"; chmod 600 "$dir/credentials"
    fi
    IFS=: read -r user pass < "$dir/credentials"
    cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$port
default_user = $user
default_pass = $pass
loopback_users = none
log.console = false
log.file.level = warning
CONF
    echo "[]." > "$dir/enabled_plugins"
    node_env
    if ctl status >/dev/null 2>&1; then exit 0; fi
    # A node that dies while booting (seen once on a CI machine, its log not kept) is given two more tries on a
    # fresh database; if all three fail, the logs' ends are printed so the cause is on the record.
    for attempt in 1 2 3; do
      for p in "$port" "$RABBITMQ_DIST_PORT"; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
          echo "RabbitMQ cannot start: something else listens on 127.0.0.1:$p" >&2; exit 1
        fi
      done
      mkdir -p "$RABBITMQ_LOG_BASE"
      setsid "$bin/rabbitmq-server" > "$dir/log/server.out" 2>&1 < /dev/null &
      server=$!
      for _ in $(seq 1 120); do
        if ctl await_startup >/dev/null 2>&1; then exit 0; fi
        kill -0 "$server" 2>/dev/null || break
        sleep 0.5
      done
      echo "RabbitMQ did not start (attempt $attempt of 3)" >&2
      kill -- -"$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true
      for f in "$dir"/log/*; do echo "--- end of $f" >&2; tail -n 25 "$f" >&2; done
      rm -rf "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
      sleep 2
    done
    echo "RabbitMQ did not start; its logs' ends are above" >&2; exit 1 ;;
  stop)
    [ -f "$dir/port" ] || exit 0
    pid=$(cat "$dir/rabbit.pid" 2>/dev/null || true)
    ctl stop >/dev/null 2>&1 || true
    for _ in $(seq 1 40); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    # epmd is started by the node; end it when no other node still uses it.
    if ! epmd -names 2>/dev/null | grep -q '^name '; then epmd -kill >/dev/null 2>&1 || true; fi ;;
  pause) ctl stop_app >/dev/null ;;
  resume) ctl start_app >/dev/null ;;
  status) ctl status >/dev/null 2>&1 ;;
  queue-depth) # DIR VHOST QUEUE: how many messages wait in a queue (0 when it does not exist)
    ctl list_queues -q -p "${3:?vhost}" name messages 2>/dev/null | awk -v q="${4:?queue}" '$1 == q { print $2; found = 1 } END { if (!found) print 0 }' ;;
  vhost) # DIR NAME: a virtual host the generated user may use fully; prints its amqp URI
    name=${3:?vhost name}
    IFS=: read -r user pass < "$dir/credentials"
    # rabbitmqctl can time out on a busy machine: try again until the virtual host is there (it may exist already).
    for attempt in 1 2 3 4 5; do
      ctl add_vhost "$name" >/dev/null 2>&1 || true
      ctl set_permissions -p "$name" "$user" '.*' '.*' '.*' >/dev/null 2>&1 && break
      [ "$attempt" -lt 5 ] || { echo "could not create virtual host $name" >&2; exit 1; }
      sleep 1
    done
    echo "amqp://$user:$pass@127.0.0.1:$(cat "$dir/port")/$name" ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
