#!/usr/bin/python3
"""A small fake Kubernetes API server for meshctl's tests (Python 3 stdlib).

Serves the objects in the YAML/JSON files given on the command line over
HTTPS: /version, discovery (/api, /apis, /api/v1, /apis/<g>/<v>), LIST with
labelSelector / fieldSelector / limit / continue, GET, and server-side apply
PATCH (fieldManager required, dryRun=All, force, 409 conflicts when another
manager owns the object). Auth: bearer tokens, basic, client certificates.
TokenRequest: POST .../serviceaccounts/NAME/token (--sa-token fixes the
token for SA default with audience istio-ca).
pods/NAME/portforward over WebSocket v4.channel.k8s.io (see portforward()),
to backends given with --portforward NS/POD:PORT=HOST:PORT.
Faults: --fail PATH=STATUS[:COUNT], --retry-after, --slow PATH=SECONDS,
--forbid VERB:RESOURCE (create:serviceaccounts/token too), --hide-crd
PLURAL.GROUP, --serve GROUP=V1,V2.

Prints "PORT <n>" on stdout when ready; exits when stdin closes. With
--record FILE each request is appended as one JSON line (method, path,
query, content type, body, auth kind; never the credential itself).
"""

import argparse
import base64
import gzip
import hashlib
import http.server
import json
import os
import select
import socket
import ssl
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import pyserver  # noqa: E402  (tests/support: the servers' shared start-up)

try:
    import yaml  # Debian python3-yaml; only for .yaml input files
except ImportError:  # pragma: no cover
    yaml = None

CLUSTER_SCOPED = {
    "Namespace", "Node", "CustomResourceDefinition", "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration", "ClusterRole", "ClusterRoleBinding", "GatewayClass",
    "PersistentVolume", "StorageClass", "APIService", "PriorityClass",
}

# Versions each group serves (preferred first), as a current cluster with
# Istio and the Gateway API CRDs installed.
DEFAULT_GROUPS = {
    "": ["v1"],
    "apps": ["v1"],
    "admissionregistration.k8s.io": ["v1"],
    "apiextensions.k8s.io": ["v1"],
    "networking.istio.io": ["v1", "v1beta1", "v1alpha3"],
    "security.istio.io": ["v1", "v1beta1"],
    "telemetry.istio.io": ["v1", "v1alpha1"],
    "extensions.istio.io": ["v1alpha1"],
    "gateway.networking.k8s.io": ["v1", "v1beta1"],
}

# Kinds served even when no object of them is loaded (plural -> kind).
KNOWN = {
    "": {"pods": "Pod", "services": "Service", "namespaces": "Namespace", "secrets": "Secret",
         "configmaps": "ConfigMap", "nodes": "Node", "endpoints": "Endpoints",
         "serviceaccounts": "ServiceAccount"},
    "apps": {"deployments": "Deployment", "replicasets": "ReplicaSet", "statefulsets": "StatefulSet",
             "daemonsets": "DaemonSet"},
    "admissionregistration.k8s.io": {"mutatingwebhookconfigurations": "MutatingWebhookConfiguration",
                                     "validatingwebhookconfigurations": "ValidatingWebhookConfiguration"},
    "apiextensions.k8s.io": {"customresourcedefinitions": "CustomResourceDefinition"},
    "networking.istio.io": {"virtualservices": "VirtualService", "destinationrules": "DestinationRule",
                            "gateways": "Gateway", "serviceentries": "ServiceEntry", "sidecars": "Sidecar",
                            "workloadentries": "WorkloadEntry", "workloadgroups": "WorkloadGroup",
                            "envoyfilters": "EnvoyFilter", "proxyconfigs": "ProxyConfig"},
    "security.istio.io": {"authorizationpolicies": "AuthorizationPolicy",
                          "peerauthentications": "PeerAuthentication",
                          "requestauthentications": "RequestAuthentication"},
    "telemetry.istio.io": {"telemetries": "Telemetry"},
    "extensions.istio.io": {"wasmplugins": "WasmPlugin"},
    "gateway.networking.k8s.io": {"gateways": "Gateway", "httproutes": "HTTPRoute", "grpcroutes": "GRPCRoute",
                                  "gatewayclasses": "GatewayClass", "referencegrants": "ReferenceGrant"},
}

# Field selectors a real server accepts beyond metadata.name/namespace.
EXTRA_FIELDS = {
    "Pod": {"status.phase", "spec.nodeName", "spec.serviceAccountName", "status.podIP", "spec.restartPolicy",
            "spec.schedulerName", "status.nominatedNodeName", "spec.hostNetwork"},
    "Secret": {"type"},
    "Namespace": {"status.phase"},
    "Node": {"spec.unschedulable"},
    "Event": {"involvedObject.kind", "involvedObject.name", "reason", "type"},
}


def plural_of(kind):
    k = kind.lower()
    if k == "endpoints":
        return k
    if k.endswith("y") and not k.endswith("ay"):
        return k[:-1] + "ies"
    if k.endswith("s"):
        return k + "es"
    return k + "s"


def split_api_version(av):
    if "/" in av:
        g, v = av.split("/", 1)
        return g, v
    return "", av


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.objects = {}  # (group, plural) -> {(ns, name): obj}
        self.kinds = {g: dict(p) for g, p in KNOWN.items()}

    def add(self, obj):
        if not isinstance(obj, dict) or "kind" not in obj:
            return
        if obj["kind"].endswith("List") and isinstance(obj.get("items"), list):
            for it in obj["items"]:
                self.add(it)
            return
        g, _ = split_api_version(obj.get("apiVersion", "v1"))
        plural = plural_of(obj["kind"])
        self.kinds.setdefault(g, {})[plural] = obj["kind"]
        md = obj.setdefault("metadata", {})
        if obj["kind"] in CLUSTER_SCOPED:
            md.pop("namespace", None)
        else:
            md.setdefault("namespace", "default")
        md.setdefault("uid", "uid-%d" % (len(self.objects) + sum(len(v) for v in self.objects.values())))
        md.setdefault("resourceVersion", "1")
        self.objects.setdefault((g, plural), {})[(md.get("namespace", ""), md.get("name", ""))] = obj


def load_files(store, paths):
    for p in paths:
        with open(p, encoding="utf-8") as f:
            text = f.read()
        if p.endswith(".json"):
            docs = [json.loads(text)]
        else:
            if yaml is None:
                sys.exit("fake_apiserver: python3-yaml is needed to read " + p)
            docs = [d for d in yaml.safe_load_all(text) if d]
        for d in docs:
            store.add(d)


# ---- selectors

def split_top(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return [x.strip() for x in out if x.strip()]


def label_matches(labels, selector):
    for req in split_top(selector):
        if " notin " in req or " in " in req:
            neg = " notin " in req
            key, vals = req.split(" notin " if neg else " in ", 1)
            vals = {v.strip() for v in vals.strip().strip("()").split(",")}
            key = key.strip()
            if neg:
                if key in labels and labels[key] in vals:
                    return False
            elif labels.get(key) not in vals:
                return False
        elif "!=" in req:
            k, v = req.split("!=", 1)
            if labels.get(k.strip()) == v.strip():
                return False
        elif "==" in req or "=" in req:
            k, v = req.split("==", 1) if "==" in req else req.split("=", 1)
            if labels.get(k.strip()) != v.strip():
                return False
        elif req.startswith("!"):
            if req[1:].strip() in labels:
                return False
        elif req not in labels:
            return False
    return True


def field_value(obj, path):
    cur = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(part, "")
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return "" if cur is None else str(cur)


def parse_field_selector(kind, selector):
    """[(path, op, value)] or raises ValueError naming the bad field."""
    reqs = []
    for req in split_top(selector):
        if "!=" in req:
            k, v = req.split("!=", 1)
            op = "!="
        elif "==" in req:
            k, v = req.split("==", 1)
            op = "="
        elif "=" in req:
            k, v = req.split("=", 1)
            op = "="
        else:
            raise ValueError('invalid field selector "%s"' % req)
        k = k.strip()
        if k not in ("metadata.name", "metadata.namespace") and k not in EXTRA_FIELDS.get(kind, set()):
            raise ValueError('field label not supported: %s' % k)
        reqs.append((k, op, v.strip()))
    return reqs


def field_matches(obj, reqs):
    for k, op, v in reqs:
        got = field_value(obj, k)
        if (op == "=") != (got == v):
            return False
    return True


# ---- optimistic concurrency and the apply log (progressive canary tests)

def resource_version_conflict(cur, patch):
    """The 409 message when the patch names a resourceVersion the stored object no longer has."""
    want = (patch.get("metadata") or {}).get("resourceVersion")
    if not want:
        return None
    have = (cur or {}).get("metadata", {}).get("resourceVersion")
    if cur is None or str(want) != str(have):
        return ("Operation cannot be fulfilled on %s \"%s\": the object has been modified; please apply your "
                "changes to the latest version and try again" % (cur and cur.get("kind", "") or "object",
                                                                  patch.get("metadata", {}).get("name", "")))
    return None


def bump_resource_version(store, merged):
    """Stores get a new resourceVersion on every write, as etcd gives them."""
    store.revision = getattr(store, "revision", 1000) + 1
    merged.setdefault("metadata", {})["resourceVersion"] = str(store.revision)


def log_apply(cfg, merged):
    """--apply-log FILE: every stored (not dry-run) apply as one JSON line, the object as stored."""
    if not getattr(cfg, "apply_log", ""):
        return
    with cfg.record_lock, open(cfg.apply_log, "a", encoding="utf-8") as f:
        f.write(json.dumps(merged) + "\n")


# ---- the server

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-apiserver/1"

    def log_message(self, fmt, *args):  # quiet
        pass

    # helpers
    def send_json(self, code, obj, extra_headers=None):
        body = json.dumps(obj).encode()
        enc = self.headers.get("Accept-Encoding", "")
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        if "gzip" in enc and len(body) > 1024:
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_status(self, code, reason, message, details=None, extra_headers=None):
        st = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
              "message": message, "reason": reason, "code": code}
        if details:
            st["details"] = details
        self.send_json(code, st, extra_headers)

    def authenticate(self):
        """The user name, or None after sending 401."""
        cfg = self.server.cfg
        auth = self.headers.get("Authorization", "")
        self.auth_kind = "none"
        if auth.startswith("Bearer "):
            self.auth_kind = "bearer"
            tok = auth[len("Bearer "):].strip()
            if tok in cfg.tokens:
                return "token-user"
        elif auth.startswith("Basic "):
            self.auth_kind = "basic"
            try:
                up = base64.b64decode(auth[6:]).decode()
            except Exception:
                up = ""
            if up in cfg.basic:
                return up.split(":", 1)[0]
        cert = None
        try:
            cert = self.connection.getpeercert()
        except Exception:
            cert = None
        if cert:
            self.auth_kind = "cert" if self.auth_kind == "none" else self.auth_kind
            for rdn in cert.get("subject", ()):
                for k, v in rdn:
                    if k == "commonName":
                        return v
        if cfg.anonymous:
            return "system:anonymous"
        self.send_status(401, "Unauthorized", "Unauthorized")
        return None

    def record(self, body):
        cfg = self.server.cfg
        if not cfg.record:
            return
        u = urllib.parse.urlsplit(self.path)
        entry = {"method": self.command, "path": u.path, "query": urllib.parse.parse_qs(u.query),
                 "contentType": self.headers.get("Content-Type", ""), "body": body.decode("utf-8", "replace"),
                 "auth": getattr(self, "auth_kind", "none"),
                 "impersonateUser": self.headers.get("Impersonate-User", ""),
                 "impersonateGroups": self.headers.get_all("Impersonate-Group") or [],
                 "userAgent": self.headers.get("User-Agent", "")}
        with cfg.record_lock, open(cfg.record, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")

    def faults(self, path):
        """True when a fault answered the request."""
        cfg = self.server.cfg
        for prefix, secs in cfg.slow:
            if path.startswith(prefix):
                time.sleep(secs)
        with cfg.record_lock:
            for rule in cfg.fail:
                if path.startswith(rule["prefix"]) and rule["left"] != 0:
                    rule["left"] -= 1
                    code = rule["status"]
                    break
            else:
                return False
        headers = {"Retry-After": str(cfg.retry_after)} if cfg.retry_after is not None else None
        reasons = {401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 429: "TooManyRequests",
                   500: "InternalError", 503: "ServiceUnavailable"}
        self.send_status(code, reasons.get(code, "Unknown"), "injected failure %d" % code, extra_headers=headers)
        return True

    def groups(self):
        cfg = self.server.cfg
        out = {}
        for g, vs in DEFAULT_GROUPS.items():
            out[g] = list(vs)
        for g in self.server.store.kinds:
            out.setdefault(g, ["v1"])
        for g, vs in cfg.serve.items():
            if vs:
                out[g] = vs
            else:
                out.pop(g, None)
        return out

    def resources_of(self, group):
        cfg = self.server.cfg
        res = []
        for plural, kind in sorted(self.server.store.kinds.get(group, {}).items()):
            if "%s.%s" % (plural, group) in cfg.hide_crd:
                continue
            res.append({"name": plural, "singularName": kind.lower(), "namespaced": kind not in CLUSTER_SCOPED,
                        "kind": kind, "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]})
        return res

    def do_GET(self):
        self.handle_any(b"")

    def do_PATCH(self):
        n = int(self.headers.get("Content-Length", "0") or "0")
        self.handle_any(self.rfile.read(n))

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0") or "0")
        self.handle_any(self.rfile.read(n))

    def handle_any(self, body):
        u = urllib.parse.urlsplit(self.path)
        path = u.path.rstrip("/") or "/"
        query = urllib.parse.parse_qs(u.query)
        user = self.authenticate()
        self.record(body)
        if user is None:
            return
        if self.faults(path):
            return
        if path == "/version":
            return self.send_json(200, {"major": "1", "minor": "30", "gitVersion": "v1.30.0",
                                        "platform": "linux/amd64"})
        groups = self.groups()
        if path == "/api":
            return self.send_json(200, {"kind": "APIVersions", "versions": groups.get("", ["v1"]),
                                        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                                                        "serverAddress": "127.0.0.1"}]})
        if path == "/apis":
            lst = []
            for g, vs in sorted(groups.items()):
                if g == "":
                    continue
                gv = [{"groupVersion": "%s/%s" % (g, v), "version": v} for v in vs]
                lst.append({"name": g, "versions": gv, "preferredVersion": gv[0]})
            return self.send_json(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": lst})
        parts = path.strip("/").split("/")
        if parts[0] == "api" and len(parts) >= 2:
            group, version, rest = "", parts[1], parts[2:]
        elif parts[0] == "apis" and len(parts) >= 3:
            group, version, rest = parts[1], parts[2], parts[3:]
        elif parts[0] == "apis" and len(parts) == 2 and parts[1] in groups:
            g = parts[1]
            gv = [{"groupVersion": "%s/%s" % (g, v), "version": v} for v in groups[g]]
            return self.send_json(200, {"kind": "APIGroup", "apiVersion": "v1", "name": g, "versions": gv,
                                        "preferredVersion": gv[0]})
        else:
            return self.send_status(404, "NotFound", "the server could not find the requested resource")
        if group not in groups or version not in groups[group]:
            return self.send_status(404, "NotFound", "the server could not find the requested resource")
        gv = version if group == "" else "%s/%s" % (group, version)
        if not rest:
            return self.send_json(200, {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
                                        "resources": self.resources_of(group)})
        ns = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            ns, rest = rest[1], rest[2:]
        plural = rest[0]
        name = rest[1] if len(rest) > 1 else None
        kinds = self.server.store.kinds.get(group, {})
        if plural not in kinds or "%s.%s" % (plural, group) in self.server.cfg.hide_crd:
            return self.send_status(404, "NotFound", "the server could not find the requested resource")
        kind = kinds[plural]
        if len(rest) == 3 and plural == "serviceaccounts" and rest[2] == "token":
            return self.token_request(user, ns, name, body)
        if group == "" and plural == "pods" and name is not None and rest[2:] == ["portforward"]:
            return portforward(self, user, ns, name, query)
        verb = "list" if name is None and self.command == "GET" else {"GET": "get", "PATCH": "patch",
                                                                     "POST": "create"}[self.command]
        if "%s:%s" % (verb, plural) in self.server.cfg.forbid:
            scope = 'in the namespace "%s"' % ns if ns else "at the cluster scope"
            return self.send_status(403, "Forbidden", '%s is forbidden: User "%s" cannot %s resource "%s" in API '
                                    'group "%s" %s' % (plural, user, verb, plural, group, scope),
                                    {"kind": plural, "group": group})
        if self.command == "PATCH":
            return self.apply(group, version, gv, plural, kind, ns, name, query, body)
        if name is not None:
            return self.get_one(gv, group, plural, kind, ns, name)
        return self.list(gv, group, plural, kind, ns, query)

    # ---- TokenRequest (POST .../serviceaccounts/NAME/token), kept apart
    # from the generic handlers: istioctl's proxy-status mints its istiod
    # token this way (live-cluster.md §2.3).

    def token_request(self, user, ns, sa, body):
        cfg = self.server.cfg
        if self.command != "POST":
            return self.send_status(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                                    "resource")
        if "create:serviceaccounts/token" in cfg.forbid:
            return self.send_status(403, "Forbidden", 'serviceaccounts "%s" is forbidden: User "%s" cannot create '
                                    'resource "serviceaccounts/token" in API group "" in the namespace "%s"'
                                    % (sa, user, ns), {"name": sa, "kind": "serviceaccounts"})
        store = self.server.store
        with store.lock:
            exists = (ns or "", sa) in store.objects.get(("", "serviceaccounts"), {})
        if not exists:
            return self.send_status(404, "NotFound", 'serviceaccounts "%s" not found' % sa,
                                    {"name": sa, "kind": "serviceaccounts"})
        try:
            req = json.loads(body or b"{}")
        except ValueError:
            return self.send_status(400, "BadRequest", "the TokenRequest body is not JSON")
        if req.get("kind") != "TokenRequest" or req.get("apiVersion") != "authentication.k8s.io/v1":
            return self.send_status(400, "BadRequest", "the body is not an authentication.k8s.io/v1 TokenRequest")
        spec = req.get("spec") or {}
        audiences = spec.get("audiences") or []
        seconds = int(spec.get("expirationSeconds") or 3600)
        if seconds < 600:
            return self.send_status(422, "Invalid", "spec.expirationSeconds: may not specify a duration less than "
                                    "10 minutes")
        # The token handed out names what it is for, so a test peer can check
        # the audience and the account; --sa-token fixes the istio-ca one.
        if audiences == ["istio-ca"] and cfg.sa_token and sa == "default":
            token = cfg.sa_token
        else:
            token = "fake-sa-token.%s.%s.%s" % (ns, sa, ",".join(audiences))
        exp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + seconds))
        return self.send_json(201, {"kind": "TokenRequest", "apiVersion": "authentication.k8s.io/v1",
                                    "metadata": {"name": sa, "namespace": ns},
                                    "spec": {"audiences": audiences, "expirationSeconds": seconds},
                                    "status": {"token": token, "expirationTimestamp": exp}})

    def get_one(self, gv, group, plural, kind, ns, name):
        store = self.server.store
        with store.lock:
            obj = store.objects.get((group, plural), {}).get((ns or "", name))
            obj = json.loads(json.dumps(obj)) if obj else None
        if obj is None:
            return self.send_status(404, "NotFound", '%s "%s" not found' % (plural, name),
                                    {"name": name, "kind": plural})
        obj["apiVersion"] = gv
        obj["kind"] = kind
        return self.send_json(200, obj)

    def list(self, gv, group, plural, kind, ns, query):
        store = self.server.store
        try:
            freqs = parse_field_selector(kind, query.get("fieldSelector", [""])[0])
        except ValueError as e:
            return self.send_status(400, "BadRequest", str(e))
        lsel = query.get("labelSelector", [""])[0]
        with store.lock:
            objs = [json.loads(json.dumps(o)) for (ons, _), o in
                    sorted(store.objects.get((group, plural), {}).items()) if ns is None or ons == ns]
        objs = [o for o in objs if label_matches(o["metadata"].get("labels", {}) or {}, lsel)
                and field_matches(o, freqs)]
        builtin = group in ("", "apps", "admissionregistration.k8s.io", "apiextensions.k8s.io")
        for o in objs:
            if builtin:  # a real server leaves these off built-in kinds' items (§7)
                o.pop("apiVersion", None)
                o.pop("kind", None)
            else:
                o["apiVersion"] = gv
                o["kind"] = kind
        start = 0
        cont = query.get("continue", [""])[0]
        if cont:
            try:
                start = int(json.loads(base64.b64decode(cont))["start"])
            except Exception:
                return self.send_status(400, "BadRequest", "invalid continue token")
        limit = int(query.get("limit", ["0"])[0] or "0")
        meta = {"resourceVersion": "100"}
        page = objs[start:]
        if limit > 0 and len(page) > limit:
            page = page[:limit]
            meta["continue"] = base64.b64encode(json.dumps({"start": start + limit}).encode()).decode()
            meta["remainingItemCount"] = len(objs) - start - limit
        return self.send_json(200, {"kind": kind + "List", "apiVersion": gv, "metadata": meta, "items": page})

    def apply(self, group, version, gv, plural, kind, ns, name, query, body):
        ctype = self.headers.get("Content-Type", "")
        if ctype.split(";")[0].strip() != "application/apply-patch+yaml":
            return self.send_status(415, "UnsupportedMediaType", "the body of the request was in an unknown format")
        manager = query.get("fieldManager", [""])[0]
        if not manager:
            return self.send_status(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: "
                                    "Required value: is required for apply patch")
        try:
            patch = json.loads(body)
        except ValueError:
            patch = yaml.safe_load(body) if yaml else None
        if not isinstance(patch, dict):
            return self.send_status(400, "BadRequest", "the apply body is not an object")
        if patch.get("kind") != kind or patch.get("metadata", {}).get("name") != name:
            return self.send_status(400, "BadRequest", "the apply body's kind/name do not match the URL")
        force = query.get("force", [""])[0] == "true"
        dry = query.get("dryRun", [""])[0] == "All"
        store = self.server.store
        with store.lock:
            objs = store.objects.setdefault((group, plural), {})
            cur = objs.get((ns or "", name))
            rv_conflict = resource_version_conflict(cur, patch)
            if rv_conflict:
                return self.send_status(409, "Conflict", rv_conflict, {"name": name, "group": group, "kind": plural})
            merged = json.loads(json.dumps(cur)) if cur else {"metadata": {"name": name}}
            if ns:
                merged["metadata"]["namespace"] = ns
            others = [m.get("manager") for m in (cur or {}).get("metadata", {}).get("managedFields", [])
                      if m.get("manager") != manager]
            changed = [k for k, v in (patch.get("spec") or {}).items()
                       if cur is not None and (cur.get("spec") or {}).get(k) != v]
            if others and changed and not force:
                causes = [{"type": "FieldManagerConflict",
                           "message": 'conflict with "%s": .spec.%s' % (others[0], k), "field": ".spec." + k}
                          for k in changed]
                return self.send_status(409, "Conflict", 'Apply failed with %d conflict%s: %s' % (
                    len(causes), "" if len(causes) == 1 else "s", "; ".join(c["message"] for c in causes)),
                    {"name": name, "group": group, "kind": plural, "causes": causes})
            merged["apiVersion"] = gv
            merged["kind"] = kind
            if "spec" in patch:
                spec = merged.setdefault("spec", {})
                spec.update(patch["spec"])
            for key in ("labels", "annotations"):
                if key in patch.get("metadata", {}):
                    merged["metadata"].setdefault(key, {}).update(patch["metadata"][key])
            mf = [m for m in merged["metadata"].get("managedFields", []) if m.get("manager") != manager]
            if force:
                mf = []
            mf.append({"manager": manager, "operation": "Apply", "apiVersion": gv, "fieldsType": "FieldsV1"})
            merged["metadata"]["managedFields"] = mf
            if not dry:
                bump_resource_version(store, merged)
                objs[(ns or "", name)] = merged
                log_apply(self.server.cfg, merged)
        return self.send_json(200 if cur else 201, merged)


# ---- pods/portforward: WebSocket v4.channel.k8s.io, as the API server
# proxies it to the kubelet (k8s pkg/kubelet/cri/streaming/portforward/
# websocket.go): port N of `ports` is data channel 2N and error channel
# 2N+1; the server's first message on each channel is the port as uint16
# little-endian; a dial failure is text on the error channel, then close.
# The base64 variant (v4.base64.channel.k8s.io) is not served.

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
WS_PROTOCOLS = ("v4.channel.k8s.io", "")


def ws_frame(opcode, payload):
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([n])
    elif n < 65536:
        head += bytes([126]) + n.to_bytes(2, "big")
    else:
        head += bytes([127]) + n.to_bytes(8, "big")
    return head + payload


class WsReader:
    """Client frames from a socket: (opcode, payload, masked), fragments joined."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def fill(self):
        """False at EOF."""
        try:
            data = self.sock.recv(65536)
        except (ssl.SSLWantReadError, BlockingIOError):
            return True
        except OSError:
            return False
        if not data:
            return False
        self.buf += data
        return True

    def frames(self):
        while True:
            b = self.buf
            if len(b) < 2:
                return
            op, fin = b[0] & 0x0F, b[0] & 0x80
            masked, n, at = b[1] & 0x80, b[1] & 0x7F, 2
            if n == 126:
                if len(b) < 4:
                    return
                n, at = int.from_bytes(b[2:4], "big"), 4
            elif n == 127:
                if len(b) < 10:
                    return
                n, at = int.from_bytes(b[2:10], "big"), 10
            key = b""
            if masked:
                if len(b) < at + 4:
                    return
                key, at = b[at:at + 4], at + 4
            if len(b) < at + n:
                return
            payload = b[at:at + n]
            if masked:
                payload = bytes(c ^ key[i % 4] for i, c in enumerate(payload))
            self.buf = b[at + n:]
            yield op, bool(fin), payload, bool(masked)


def portforward_backend(cfg, ns, pod, port):
    return cfg.portforward.get("%s/%s:%d" % (ns, pod, port))


def portforward(handler, user, ns, pod, query):
    """GET/POST .../pods/POD/portforward: checks as the API server and kubelet
    do, then the WebSocket session."""
    cfg = handler.server.cfg
    verb = "create" if handler.command == "POST" else "get"
    if "%s:pods/portforward" % verb in cfg.forbid:
        return handler.send_status(403, "Forbidden", 'pods "%s" is forbidden: User "%s" cannot %s resource '
                                   '"pods/portforward" in API group "" in the namespace "%s"' % (pod, user, verb, ns),
                                   {"name": pod, "kind": "pods"})
    store = handler.server.store
    with store.lock:
        obj = store.objects.get(("", "pods"), {}).get((ns or "", pod))
    if obj is None:
        return handler.send_status(404, "NotFound", 'pods "%s" not found' % pod, {"name": pod, "kind": "pods"})
    # The API server's UpgradeAwareHandler (UpgradeRequired).
    if "upgrade" not in [t.strip().lower() for t in handler.headers.get("Connection", "").split(",")] or \
            not handler.headers.get("Upgrade"):
        return handler.send_status(400, "BadRequest", "Upgrade request required")
    if handler.headers.get("Upgrade", "").lower() != "websocket":
        return handler.send_status(400, "BadRequest", "SPDY port-forward is not served by this fake")

    def plain(code, text):
        body = (text + "\n").encode()
        handler.send_response(code)
        handler.send_header("Content-Type", "text/plain; charset=utf-8")
        handler.send_header("X-Content-Type-Options", "nosniff")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    # The kubelet (portforward.NewV4Options): `ports` arrives as `port`.
    raw = [p for v in query.get("ports", []) for p in v.split(",")]
    if not raw:
        return plain(400, 'query parameter "port" is required')
    ports = []
    for p in raw:
        try:
            n = int(p)
        except ValueError:
            n = 0
        if n <= 0 or n > 65535:
            return plain(400, 'unable to parse "%s" as a port: strconv.ParseUint: parsing "%s": invalid syntax' % (p, p))
        ports.append(n)
    key = handler.headers.get("Sec-WebSocket-Key", "")
    if handler.headers.get("Sec-WebSocket-Version") != "13" or not key:
        return plain(400, "Bad Request")
    offered = [t.strip() for t in handler.headers.get("Sec-WebSocket-Protocol", "").split(",") if t.strip()]
    chosen = None
    for proto in (offered or [""]):
        if proto in WS_PROTOCOLS:
            chosen = proto
            break
    if chosen is None:
        # x/net/websocket's answer to a failed Handshake: a bare 403.
        handler.close_connection = True
        handler.wfile.write(b"HTTP/1.1 403 Forbidden\r\n\r\n")
        return None
    accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
    handler.close_connection = True
    handler.send_response(101, "Switching Protocols")
    handler.send_header("Upgrade", "websocket")
    handler.send_header("Connection", "Upgrade")
    handler.send_header("Sec-WebSocket-Accept", accept)
    if chosen:
        handler.send_header("Sec-WebSocket-Protocol", chosen)
    handler.end_headers()
    handler.wfile.flush()
    ws_session(handler, ns, pod, ports)
    return None


def ws_session(handler, ns, pod, ports):
    cfg = handler.server.cfg
    conn = handler.connection
    out = []

    def send(opcode, payload):
        conn.sendall(ws_frame(opcode, payload))

    for i, port in enumerate(ports):
        pb = port.to_bytes(2, "little")
        send(0x2, bytes([2 * i]) + pb)
        send(0x2, bytes([2 * i + 1]) + pb)
    ping_payload = b"fake-ping"
    log = {"method": "WS", "path": "/api/v1/namespaces/%s/pods/%s/portforward" % (ns, pod), "ports": ports,
           "pong": False, "masked": True, "clientFrames": 0}
    backends = {}
    for i, port in enumerate(ports):
        target = portforward_backend(cfg, ns, pod, port)
        sock = None
        if target:
            host, _, bport = target.rpartition(":")
            try:
                sock = socket.create_connection((host, int(bport)), timeout=5)
                sock.settimeout(None)
            except OSError:
                sock = None
        if sock is None:
            msg = ("error forwarding port %d to pod %s, uid : failed to execute portforward in network namespace "
                   "\"/var/run/netns/cni-fake\": failed to connect to localhost:%d inside namespace \"%s\", IPv4: "
                   "dial tcp4 127.0.0.1:%d: connect: connection refused IPv6 dial tcp6 [::1]:%d: connect: "
                   "connection refused " % (port, pod, port, pod, port, port))
            send(0x2, bytes([2 * i + 1]) + msg.encode())
        else:
            backends[i] = sock
    if backends:  # not part of the kubelet's protocol: checks that clients answer pings
        send(0x9, ping_payload)
    reader = WsReader(conn)
    client_closed = False
    try:
        while backends:
            rl = [conn] + list(backends.values())
            ready = [conn] if conn.pending() else select.select(rl, [], [], 30)[0]
            if not ready:
                continue
            for i, sock in list(backends.items()):
                if sock in ready:
                    data = sock.recv(65536)
                    if not data:  # the backend closed: the kubelet ends the stream
                        sock.close()
                        del backends[i]
                        continue
                    send(0x2, bytes([2 * i]) + data)
            if conn in ready:
                alive = reader.fill()
                for op, _fin, payload, masked in reader.frames():
                    log["clientFrames"] += 1
                    log["masked"] = log["masked"] and masked
                    if op == 0xA and payload == ping_payload:
                        log["pong"] = True
                    elif op == 0x9:
                        send(0xA, payload)
                    elif op == 0x8:
                        alive = False
                        client_closed = True
                    elif op in (0x0, 0x2) and payload:
                        i = payload[0] // 2
                        if payload[0] % 2 == 0 and i in backends:
                            backends[i].sendall(payload[1:])
                if not alive:
                    break
    except OSError:
        pass
    finally:
        for sock in backends.values():
            sock.close()
        try:
            send(0x8, (1000).to_bytes(2, "big"))
            # RFC 6455 5.5.1: the side that closes first waits for the other's close frame
            # before it drops the connection. Closing at once breaks clients that answer
            # (python3-kubernetes' proxy thread dies when its close frame cannot be sent).
            deadline = time.monotonic() + 2
            while not client_closed and time.monotonic() < deadline:
                if not conn.pending() and not select.select([conn], [], [], 0.1)[0]:
                    continue
                if not reader.fill():
                    break
                client_closed = any(op == 0x8 for op, _f, _p, _m in reader.frames())
        except OSError:
            pass
        if cfg.record:
            with cfg.record_lock, open(cfg.record, "a", encoding="utf-8") as f:
                f.write(json.dumps(log) + "\n")


class Server(pyserver.ThreadedServer, http.server.HTTPServer):
    pass  # quiet on a client that fails the TLS handshake (a test of exactly that)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*")
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--client-ca", default="")
    ap.add_argument("--token", action="append", default=[])
    ap.add_argument("--basic", action="append", default=[], help="user:password")
    ap.add_argument("--anonymous", action="store_true")
    ap.add_argument("--record", default="")
    ap.add_argument("--fail", action="append", default=[], help="PATH_PREFIX=STATUS[:COUNT]")
    ap.add_argument("--retry-after", type=int, default=None)
    ap.add_argument("--slow", action="append", default=[], help="PATH_PREFIX=SECONDS")
    ap.add_argument("--forbid", action="append", default=[], help="VERB:RESOURCE")
    ap.add_argument("--hide-crd", action="append", default=[], help="PLURAL.GROUP")
    ap.add_argument("--serve", action="append", default=[], help="GROUP=V1,V2 (empty: not served)")
    ap.add_argument("--apply-log", default="", help="FILE: stored applies, one JSON object a line")
    ap.add_argument("--sa-token", default="", help="token TokenRequest returns for SA default, audience istio-ca")
    ap.add_argument("--portforward", action="append", default=[], help="NS/POD:PORT=HOST:PORT (pod port -> backend)")
    cfg = ap.parse_args()
    cfg.tokens = set(cfg.token)
    cfg.basic = set(cfg.basic)
    cfg.record_lock = threading.Lock()
    fails = []
    for f in cfg.fail:
        prefix, spec = f.rsplit("=", 1)
        status, _, count = spec.partition(":")
        fails.append({"prefix": prefix, "status": int(status), "left": int(count) if count else -1})
    cfg.fail = fails
    cfg.slow = [(s.rsplit("=", 1)[0], float(s.rsplit("=", 1)[1])) for s in cfg.slow]
    cfg.forbid = set(cfg.forbid)
    cfg.hide_crd = set(cfg.hide_crd)
    serve = {}
    for s in cfg.serve:
        g, _, vs = s.partition("=")
        serve[g] = [v for v in vs.split(",") if v]
    cfg.serve = serve
    cfg.portforward = dict(p.split("=", 1) for p in cfg.portforward)

    store = Store()
    load_files(store, cfg.files)

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cfg.cert, cfg.key)
    if cfg.client_ca:
        ctx.load_verify_locations(cfg.client_ca)
        ctx.verify_mode = ssl.CERT_OPTIONAL

    srv = Server(("127.0.0.1", 0), Handler)
    # The handshake happens on the first read, in the request's thread.
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    srv.cfg = cfg
    srv.store = store
    pyserver.serve(srv)


if __name__ == "__main__":
    main()
