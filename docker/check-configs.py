#!/usr/bin/env python3
"""Checks what `docker compose config` cannot: that docker-compose.yml, the Kong, Prometheus and
Grafana configs agree with each other and with the service.

Usage: check-configs.py PROFILES... (each a comma list, e.g. `split,observability`).
Prints each check and exits 1 naming every problem found.
"""
import json
import re
import sys
from pathlib import Path

try:
    import yaml
except ImportError:
    sys.exit("check-configs.py needs PyYAML (Debian: apt-get install python3-yaml; else pip install pyyaml)")

ROOT = Path(__file__).resolve().parent.parent
CONTEXTS = ["catalog", "inventory", "ordering", "payments", "notifications", "identity", "receipts"]
# The HTTP prefix each context serves (src/modules/<context>/api).
CONTEXT_OF_PATH = {
    "/api/v1/products": "catalog",
    "/api/v1/inventory": "inventory",
    "/api/v1/orders": "ordering",
    "/api/v1/payments": "payments",
    "/api/v1/notifications": "notifications",
    "/api/v1/nft": "receipts",
    "/api/v1/auth": "identity",
    "/api/v1/users": "identity",
    "/.well-known/jwks.json": "identity",
}
# Kong routes anyone may call (the console's page asks for a sign-in itself); every other route must verify
# access tokens (the jwt plugin).
PUBLIC_ROUTES = {"catalog-read", "inventory-read", "sign-in", "jwks", "docs", "console", "nft-metadata"}
DEFAULT_ISSUER = "commerce-core"
APP_PORT = 3000
DEFAULTED = re.compile(r"\$\{(\w+)(?::?-([^}]*))?\}")

problems: list[str] = []


def problem(message: str) -> None:
    problems.append(message)


def ok(message: str) -> None:
    print(f"ok    {message}")


def load_yaml(relative: str):
    with open(ROOT / relative, encoding="utf-8") as file:
        return yaml.safe_load(file)


def interpolate_defaults(text: str) -> str:
    """`${NAME:-default}` as compose resolves it with NAME unset."""
    return DEFAULTED.sub(lambda m: m.group(2) or "", text)


def environment_of(service: dict) -> dict:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: interpolate_defaults(str(value)) for key, value in env.items()}


def depends_on(service: dict) -> list[str]:
    deps = service.get("depends_on") or []
    return list(deps) if isinstance(deps, (list, dict)) else []


def is_app(service: dict) -> bool:
    """A container of the service itself: built from the Dockerfile, running its main entry (the image's CMD),
    not another entry of the same image such as the provider simulator."""
    command = service.get("command") or []
    return "build" in service and (not command or "dist/src/main.js" in command)


def hosted_contexts(service: dict) -> list[str]:
    modules = environment_of(service).get("MODULES", "")
    return [m.strip() for m in modules.split(",") if m.strip()] or list(CONTEXTS)


def active_services(services: dict, profiles: set[str]) -> dict:
    return {name: s for name, s in services.items() if not s.get("profiles") or profiles & set(s["profiles"])}


def host_ports(service: dict) -> list[str]:
    ports = []
    for port in service.get("ports") or []:
        parts = interpolate_defaults(str(port)).split(":")
        if len(parts) >= 2:
            ports.append(":".join(parts[:-1]))
    return ports


def check_compose(compose: dict, profile_sets: list[set[str]]) -> None:
    services = compose["services"]
    for name, service in services.items():
        for volume in service.get("volumes") or []:
            source = str(volume).split(":")[0]
            if source.startswith(".") and not (ROOT / source).exists():
                problem(f"compose: {name} mounts {source}, which does not exist")
        if not is_app(service):
            continue
        contexts = hosted_contexts(service)
        unknown = sorted(set(contexts) - set(CONTEXTS))
        if unknown:
            problem(f"compose: {name} has MODULES naming unknown contexts {unknown}")
        if len(contexts) < len(CONTEXTS):
            if "KAFKA_BROKERS" not in environment_of(service):
                problem(f"compose: {name} hosts {contexts} only, so it needs KAFKA_BROKERS")
            if "kafka" not in depends_on(service):
                problem(f"compose: {name} hosts {contexts} only, so it should wait for kafka")
    ok(f"compose: bind mounts exist; every partial app service ({', '.join(n for n, s in services.items() if is_app(s) and len(hosted_contexts(s)) < len(CONTEXTS))}) has Kafka")

    for profiles in profile_sets:
        label = "+".join(sorted(profiles))
        active = active_services(services, profiles)
        for name, service in active.items():
            for dependency in depends_on(service):
                if dependency not in active:
                    problem(f"compose [{label}]: {name} depends on {dependency}, which this profile does not start")
        published: dict[str, str] = {}
        for name, service in active.items():
            for port in host_ports(service):
                if port in published:
                    problem(f"compose [{label}]: {name} and {published[port]} both publish host port {port}")
                published[port] = name
        apps = [name for name, service in active.items() if is_app(service)]
        if apps:
            hosted = {context for name in apps for context in hosted_contexts(active[name])}
            missing = [context for context in CONTEXTS if context not in hosted]
            if missing:
                problem(f"compose [{label}]: no app service hosts {missing}")
        hosting = f"apps {', '.join(apps)} host every context" if apps else "no app service"
        ok(f"compose [{label}]: {len(active)} services, dependencies started, host ports distinct, {hosting}")


def kong_routes(kong: dict) -> list[tuple[str, dict]]:
    """(service name, route) for routes nested in services and top-level routes naming a service."""
    routes = [(service.get("name"), route) for service in kong.get("services") or [] for route in service.get("routes") or []]
    for route in kong.get("routes") or []:
        reference = route.get("service")
        routes.append((reference.get("name") if isinstance(reference, dict) else reference, route))
    return routes


def check_kong(kong: dict, services: dict) -> None:
    if not str(kong.get("_format_version", "")).startswith("3."):
        problem("kong: _format_version must be 3.x")
    upstream_of: dict[str, str] = {}
    for service in kong.get("services") or []:
        name, url = service.get("name"), service.get("url", "")
        match = re.fullmatch(r"https?://([\w.-]+):(\d+)/?", url)
        if not name or not match:
            problem(f"kong: service {name or '?'} needs a name and a url http://host:port (got {url!r})")
            continue
        host, port = match.group(1), int(match.group(2))
        if host not in services or not is_app(services[host]) or port != APP_PORT:
            problem(f"kong: service {name} points at {host}:{port}, not an app service of docker-compose.yml on {APP_PORT}")
            continue
        upstream_of[name] = host

    names: set[str] = set()
    routed: set[str] = set()
    for service_name, route in kong_routes(kong):
        route_name = route.get("name", "?")
        if route_name in names:
            problem(f"kong: route name {route_name} is used twice")
        names.add(route_name)
        if service_name not in upstream_of:
            problem(f"kong: route {route_name} points at {service_name!r}, which is not a defined service")
            continue
        paths = route.get("paths") or []
        if not paths:
            problem(f"kong: route {route_name} has no paths")
        for path in paths:
            if not path.startswith("/"):
                problem(f"kong: route {route_name} path {path!r} must start with /")
            context = CONTEXT_OF_PATH.get(path.rstrip("/"))
            if context is None:
                continue
            host = upstream_of[service_name]
            if context not in hosted_contexts(services[host]):
                problem(f"kong: {path} ({context}) goes to {host}, whose MODULES do not include {context}")
            routed.add(context)
        plugins = {plugin.get("name") for plugin in route.get("plugins") or []}
        if route_name not in PUBLIC_ROUTES and "jwt" not in plugins:
            problem(f"kong: route {route_name} is not public, so it needs the jwt plugin")
        if "jwt" in plugins and any(p.get("config", {}).get("key_claim_name") != "iss" for p in route["plugins"] if p.get("name") == "jwt"):
            problem(f"kong: route {route_name} must find the token's consumer by its issuer (key_claim_name: iss)")
    unrouted = [context for context in CONTEXTS if context not in routed]
    if unrouted:
        problem(f"kong: no route for {unrouted}")
    if not any(plugin.get("name") == "rate-limiting" for plugin in kong.get("plugins") or []):
        problem("kong: no global rate-limiting plugin")
    config = services.get("split-keys", {})
    command = [str(part) for part in config.get("command") or []]
    if DEFAULT_ISSUER not in command:
        problem(f"kong: split-keys must give the consumer the services' issuer {DEFAULT_ISSUER} (JWT_ISSUER)")
    ok(f"kong: {len(names)} routes on {len(upstream_of)} services; each context's paths reach a container hosting it; all but {sorted(PUBLIC_ROUTES)} verify tokens")


def check_prometheus(prometheus: dict, services: dict) -> None:
    jobs = prometheus.get("scrape_configs") or []
    job_names = [job.get("job_name") for job in jobs]
    if len(set(job_names)) != len(job_names) or None in job_names:
        problem(f"prometheus: job names must be present and distinct (got {job_names})")
    targets = set()
    for job in jobs:
        for static in job.get("static_configs") or []:
            for target in static.get("targets") or []:
                host, _, port = target.partition(":")
                if not port.isdigit():
                    problem(f"prometheus: target {target!r} of job {job.get('job_name')} needs host:port")
                elif host != "localhost" and host not in services:
                    problem(f"prometheus: target {target} of job {job.get('job_name')} is no service of docker-compose.yml")
                targets.add(target)
    apps = [name for name, service in services.items() if is_app(service)]
    for name in apps:
        if f"{name}:{APP_PORT}" not in targets:
            problem(f"prometheus: app service {name} is not scraped")
    ok(f"prometheus: {len(jobs)} jobs; scrapes every app service ({', '.join(apps)})")


def check_grafana(compose: dict) -> None:
    datasources = load_yaml("docker/grafana/provisioning/datasources/prometheus.yml")["datasources"]
    uids = {source["uid"] for source in datasources}
    providers = load_yaml("docker/grafana/provisioning/dashboards/commerce.yml")["providers"]
    mounts = {str(v).split(":")[1]: str(v).split(":")[0] for v in compose["services"]["grafana"].get("volumes") or []}
    for provider in providers:
        path = provider["options"]["path"]
        if path not in mounts:
            problem(f"grafana: dashboards provider reads {path}, which docker-compose.yml does not mount")
    # Prometheus' own `up`, prom-client's default metrics, and names the service gives directly
    # (`name: '…'`) or through a constant (`CACHE_HITS = '…'`).
    defined = {"up"}
    default_metric = re.compile(r"(process|nodejs)_[a-z0-9_]+")
    for source in list((ROOT / "src").rglob("*.ts")) + list((ROOT / "libs").rglob("*.ts")):
        defined.update(re.findall(r"(?:name:|=)\s*'([a-z_:][a-z0-9_:]*)'", source.read_text(encoding="utf-8")))
    for dashboard_file in sorted((ROOT / "docker/grafana/dashboards").glob("*.json")):
        dashboard = json.loads(dashboard_file.read_text(encoding="utf-8"))
        used = set()
        for panel in dashboard.get("panels") or []:
            for item in [panel] + (panel.get("targets") or []):
                uid = (item.get("datasource") or {}).get("uid")
                if uid not in uids:
                    problem(f"grafana: {dashboard_file.name} panel {panel.get('title')!r} uses datasource {uid!r}, not a provisioned one")
            for target in panel.get("targets") or []:
                for metric in re.findall(r"\b([a-z_:][a-z0-9_:]*)\s*[{\[]", target.get("expr", "")):
                    used.add(metric)
                    base = re.sub(r"_(bucket|count|sum)$", "", metric)
                    if base not in defined and metric not in defined and not default_metric.fullmatch(metric):
                        problem(f"grafana: {dashboard_file.name} panel {panel.get('title')!r} queries {metric}, which the service does not define")
        ok(f"grafana: {dashboard_file.name} uses provisioned datasources and metrics the service defines ({', '.join(sorted(used))})")


def main() -> None:
    profile_sets = [set(arg.split(",")) for arg in sys.argv[1:]]
    compose = load_yaml("docker-compose.yml")
    services = compose["services"]
    check_compose(compose, profile_sets)
    check_kong(load_yaml("docker/kong/kong.yml"), services)
    check_prometheus(load_yaml("docker/prometheus/prometheus.yml"), services)
    check_grafana(compose)
    if problems:
        print("\n".join(f"FAIL  {p}" for p in problems), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
