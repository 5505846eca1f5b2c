#include "lib/diag/catalog.h"

#include <algorithm>

#include <fmt/format.h>

#include "lib/core/strings.h"
#include "lib/core/version.h"

namespace meshctl::diag {

namespace {

// Sorted by code. IST rows follow Istio's messages.yaml (code, name, level,
// template); MSH rows are meshctl's own. Number ranges for MSH codes:
//   MSH00xx foundation rules, MSH01xx validate, MSH02xx analyze, MSH03xx canary,
//   MSH07xx ambient (waypoints).
const std::vector<MessageType> kMessages = {
    {"IST0001", "InternalError", Severity::kError, "Internal error: %v",
     "Internal toolchain error (bug in the analyzer framework).", ""},
    {"IST0002", "Deprecated", Severity::kWarning, "Deprecated: %s",
     "Deprecated feature in use: VirtualService http[].fault.delay.percent (use percentage), Sidecar outboundTrafficPolicy.egressProxy (ignored), CRDs of removed rbac.istio.io kinds; Telemetry tracing that uses a Lightstep extension provider.", 
     "Replace the deprecated field with its successor named in the message (fault.delay.percentage, an OpenTelemetry provider), or remove the ignored field or removed resource type."},
    {"IST0101", "ReferencedResourceNotFound", Severity::kError, "Referenced %s not found: %q",
     "A referenced object does not exist: VS destination/mirror host, host:port, host+subset in a DestinationRule, VS gateway; Gateway selector with no pod / credentialName Secret; Sidecar/Telemetry workloadSelector with no pod; AuthorizationPolicy source (not)namespaces.", 
     "Create the referenced object (Service, ServiceEntry, DestinationRule subset, Gateway, Secret, Namespace) or fix the reference's spelling and namespace; for selectors, make sure pods with those labels exist in the namespace."},
    {"IST0102", "NamespaceNotInjected", Severity::kInfo, "The namespace is not enabled for Istio injection. Run 'kubectl label namespace %s istio-injection=enabled' to enable it, or 'kubectl label namespace %s istio-injection=disabled' to explicitly mark it as not needing injection.",
     "Namespace has neither istio-injection nor istio.io/rev label (istio-system and ambient namespaces skipped).", 
     "Label the namespace: `kubectl label namespace NS istio-injection=enabled` (or `istio.io/rev=REV`), or `istio-injection=disabled` if it should stay out of the mesh."},
    {"IST0103", "PodMissingProxy", Severity::kWarning, "The pod %s is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.",
     "Pod in an istio-injection=enabled namespace has no istio-proxy container (skipped when inject=false label/annotation or hostNetwork).", 
     "Restart or redeploy the workload so the injector adds the proxy (`kubectl rollout restart deployment/NAME`), or opt the pod out with the `sidecar.istio.io/inject: \"false\"` label."},
    {"IST0104", "GatewayPortNotOnWorkload", Severity::kWarning, "",
     "Retired (2023-09-21). replaced by IST0162", "", true},
    {"IST0105", "IstioProxyImageMismatch", Severity::kWarning, "",
     "Retired (2023-04-19). replaced by IST0158", "", true},
    {"IST0106", "SchemaValidationError", Severity::kError, "Schema validation error: %v",
     "Istio CRD fails Istio's schema/semantic validation (one message per validation error).", 
     "Fix the field the message names; `meshctl validate` shows every schema error with its position."},
    {"IST0107", "MisplacedAnnotation", Severity::kWarning, "Misplaced annotation: %s can only be applied to %s",
     "Known Istio annotation placed on a kind it does not apply to (Namespace/Service/Pod/Deployment checked).", 
     "Move the annotation to a resource of the kind named in the message (for example from the Deployment to its pod template)."},
    {"IST0108", "UnknownAnnotation", Severity::kWarning, "Unknown annotation: %s",
     "Annotation in an *istio.io domain that Istio does not know.", 
     "Fix the annotation's spelling (see Istio's annotation reference) or remove it; Istio ignores annotations it does not know."},
    {"IST0109", "ConflictingMeshGatewayVirtualServiceHosts", Severity::kError, "The VirtualServices %s associated with mesh gateway define the same host %s which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.",
     "Two or more mesh-bound VirtualServices (no gateways or gateway 'mesh') define the same host in overlapping exportTo scopes.", 
     "Merge the VirtualServices that define this host for the mesh gateway into one resource, or narrow their exportTo so they do not overlap."},
    {"IST0110", "ConflictingSidecarWorkloadSelectors", Severity::kError, "The Sidecars %v in namespace %q select the same workload pod %q, which can lead to undefined behavior.",
     "A Pod is selected by more than one Sidecar with a workloadSelector.", 
     "Give the Sidecars disjoint workloadSelectors so each pod is selected by at most one, or merge them."},
    {"IST0111", "MultipleSidecarsWithoutWorkloadSelectors", Severity::kError, "The Sidecars %v in namespace %q have no workload selector, which can lead to undefined behavior.",
     "More than one Sidecar without workloadSelector in the same namespace.", 
     "Keep a single selector-less Sidecar per namespace; give the others a workloadSelector or merge them."},
    {"IST0112", "VirtualServiceDestinationPortSelectorRequired", Severity::kError, "This VirtualService routes to a service %q that exposes multiple ports %v. Specifying a port in the destination is required to disambiguate.",
     "VS destination without port points to a service/ServiceEntry that has more than one port.", 
     "Add `port: {number: N}` to the destination so Istio knows which of the service's ports to use."},
    {"IST0113", "MTLSPolicyConflict", Severity::kError, "",
     "Retired (2024-01-02).", "", true},
    {"IST0114", "PolicySpecifiesPortNameThatDoesntExist", Severity::kWarning, "",
     "Retired (2020-11-13).", "", true},
    {"IST0115", "DestinationRuleUsesMTLSForWorkloadWithoutSidecar", Severity::kError, "",
     "Retired (2020-11-13).", "", true},
    {"IST0116", "DeploymentAssociatedToMultipleServices", Severity::kWarning, "This deployment %s is associated with multiple services using port %d but different protocols: %v",
     "In-mesh Deployment is selected by several Services that use the same port number with different L4 protocol values.", 
     "Use the same protocol for this port number in every Service that selects the deployment's pods, or use different port numbers."},
    {"IST0117", "DeploymentRequiresServiceAssociated", Severity::kWarning, "",
     "Retired (2023-08-14). deployment with no Service", "", true},
    {"IST0118", "PortNameIsNotUnderNamingConvention", Severity::kInfo, "Port name %s (port: %d, targetPort: %s) doesn't follow the naming convention of Istio port.",
     "Service port whose protocol cannot be derived from name/appProtocol (protocol sniffing will be used).", 
     "Name the port with a protocol prefix (`http-web`, `grpc-api`, `tcp-db`) or set `appProtocol`, so Istio does not have to sniff the protocol."},
    {"IST0119", "JwtFailureDueToInvalidServicePortPrefix", Severity::kWarning, "",
     "Retired (2023-12-28).", "", true},
    {"IST0120", "PolicyResourceIsDeprecated", Severity::kInfo, "",
     "Retired (2020-11-13).", "", true},
    {"IST0121", "MeshPolicyResourceIsDeprecated", Severity::kInfo, "",
     "Retired (2020-11-13).", "", true},
    {"IST0122", "InvalidRegexp", Severity::kWarning, "",
     "Retired (2024-05-22). VS regex analyzer removed", "", true},
    {"IST0123", "NamespaceMultipleInjectionLabels", Severity::kWarning, "The namespace has more than one type of injection labels %v, which may lead to undefined behavior. Make sure only one injection label exists.",
     "Namespace carries more than one kind of injection label (istio-injection, istio.io/rev, istio.io/dataplane-mode).", 
     "Keep one kind of injection label on the namespace: either `istio-injection` or `istio.io/rev` (or `istio.io/dataplane-mode` for ambient)."},
    {"IST0124", "NamespaceInvalidInjectorRevision", Severity::kWarning, "",
     "Retired (2020-05-13). not marked RETIRED in messages.yaml", "", true},
    {"IST0125", "InvalidAnnotation", Severity::kWarning, "Invalid annotation %s: %s",
     "Known Istio annotation whose value fails its validator.", 
     "Correct the annotation value to the format Istio expects (the message names the problem)."},
    {"IST0126", "UnknownMeshNetworksServiceRegistry", Severity::kError, "Unknown service registry %s in network %s",
     "meshNetworks endpoint fromRegistry names a registry that is neither Kubernetes/External/Mock nor a remote-cluster secret key.", 
     "Use a registry that exists: `Kubernetes`, `External`, or the name of a remote cluster secret's key."},
    {"IST0127", "NoMatchingWorkloadsFound", Severity::kWarning, "No matching workloads for this resource with the following labels: %s",
     "AuthorizationPolicy whose selector (or namespace) matches no Pod.", 
     "Fix the selector (or namespace) so it matches pods in the mesh, or remove the policy if it is obsolete."},
    {"IST0128", "NoServerCertificateVerificationDestinationLevel", Severity::kWarning, "DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s",
     "DestinationRule traffic-policy TLS mode SIMPLE/MUTUAL without caCertificates (unless credentialName + workloadSelector).", 
     "Set `caCertificates` (or a `credentialName` together with a `workloadSelector`) in the DestinationRule's TLS settings, so the client verifies the server's identity."},
    {"IST0129", "NoServerCertificateVerificationPortLevel", Severity::kWarning, "DestinationRule %s in namespace %s has TLS mode set to %s but no caCertificates are set to validate server identity for host: %s at port %s",
     "Same as IST0128 for a portLevelSettings entry.", 
     "Set `caCertificates` in the port-level TLS settings, so the client verifies the server's identity on that port."},
    {"IST0130", "VirtualServiceUnreachableRule", Severity::kWarning, "VirtualService rule %v not used (%s).",
     "VirtualService rule can never match because an earlier rule has the same/ catch-all match (from VirtualService validation).", 
     "Reorder the rules so catch-all rules (no match) come last, or remove the rule that can never match."},
    {"IST0131", "VirtualServiceIneffectiveMatch", Severity::kInfo, "VirtualService rule %v match %v is not used (duplicate/overlapping match in rule %v).",
     "VirtualService match duplicates/overlaps an earlier match (from VirtualService validation).", 
     "Remove the duplicate match or make it more specific than the earlier one that already covers it; order longer URI prefixes first."},
    {"IST0132", "VirtualServiceHostNotFoundInGateway", Severity::kWarning, "one or more host %v defined in VirtualService %s not found in Gateway %s.",
     "VS hosts match no host of a referenced Istio Gateway (or Gateway API Gateway listener hostname; a listener without hostname matches all). Also fires when the referenced gateway does not exist (together with IST0101).", 
     "Add the VirtualService's hosts to the Gateway's servers, or fix the VirtualService hosts / gateway reference."},
    {"IST0133", "SchemaWarning", Severity::kWarning, "Schema validation warning: %v",
     "Istio CRD validation returned a warning.", 
     "Address the schema warning the message names; `meshctl validate` shows its position."},
    {"IST0134", "ServiceEntryAddressesRequired", Severity::kWarning, "ServiceEntry addresses are required for this protocol.",
     "ServiceEntry without addresses has a TCP (or protocol-less) port and no address auto-allocation (mesh DNS capture+auto-allocate or status.addresses).", 
     "Add `addresses` to the ServiceEntry, set a protocol other than TCP, or enable DNS capture with address auto-allocation."},
    {"IST0135", "DeprecatedAnnotation", Severity::kInfo, "Annotation %q has been deprecated%s and may not work in future Istio versions.",
     "Deprecated Istio annotation in use.", 
     "Replace the deprecated annotation (for sidecar.istio.io/inject use the label of the same name)."},
    {"IST0136", "AlphaAnnotation", Severity::kInfo, "Annotation %q is part of an alpha-phase feature and may be incompletely supported.",
     "Alpha-maturity Istio annotation in use (only from annotations.AlphaAnalyzer, not registered in All()).", 
     "Alpha features may change or disappear; use them knowingly or switch to a stable alternative."},
    {"IST0137", "DeploymentConflictingPorts", Severity::kWarning, "This deployment %s is associated with multiple services %v using targetPort %q but different ports: %v.",
     "In-mesh Deployment selected by several Services that map the same targetPort from different service ports.", 
     "Map each targetPort from one service port only, or point the Services at different target ports."},
    {"IST0138", "GatewayDuplicateCertificate", Severity::kWarning, "Duplicate certificate in multiple gateways %v may cause 404s if clients re-use HTTP2 connections.",
     "Two Gateways selecting the same workloads use the same TLS certificate (credentialName or serverCertificate+privateKey).", 
     "Use a distinct certificate per Gateway selecting the same workloads, or merge the servers into one Gateway."},
    {"IST0139", "InvalidWebhook", Severity::kError, "%v",
     "Istio sidecar-injector MutatingWebhooks overlap for some namespace/object label combination, or point to a non-existent Service.", 
     "Keep one injector webhook per namespace/object label combination (use revision tags), and make sure the webhook's Service exists."},
    {"IST0140", "IngressRouteRulesNotAffected", Severity::kWarning, "Subset in virtual service %s has no effect on ingress gateway %s requests",
     "VS bound to a gateway routes without subset to a host that another VS routes to with subsets (subset rules won't apply at ingress).", 
     "Route the gateway traffic to the subset explicitly, or accept that the other VirtualService's subset rules do not apply at the gateway."},
    {"IST0141", "InsufficientPermissions", Severity::kError, "Missing required permission to create resource %v (%v)",
     "istioctl x precheck: the user lacks RBAC permission to create a resource needed for install.", ""},
    {"IST0142", "UnsupportedKubernetesVersion", Severity::kError, "The Kubernetes Version %q is lower than the minimum version: %v",
     "istioctl x precheck: Kubernetes version below the minimum supported.", ""},
    {"IST0143", "LocalhostListener", Severity::kError, "Port %v is exposed in a Service but listens on localhost. It will not be exposed to other pods.",
     "Service port bound to localhost in the workload (no emitter at this commit).", ""},
    {"IST0144", "InvalidApplicationUID", Severity::kWarning, "User ID (UID) 1337 is reserved for the sidecar proxy.",
     "Pod/Deployment whose pod-level or app-container securityContext.runAsUser is 1337 (reserved for the proxy); containers istio-proxy/istio-operator and resources with an istio label or release=istio are skipped.", 
     "Run the application with another UID; 1337 is reserved for the Istio proxy."},
    {"IST0145", "ConflictingGateways", Severity::kError, "Conflict with gateways %s (workload selector %s, port %s, hosts %v).",
     "Istio Gateways with the same (or overlapping) selector, same port and overlapping hosts/bind.", 
     "Give the conflicting Gateways different ports, hosts or selectors, or merge them into one Gateway."},
    {"IST0146", "ImageAutoWithoutInjectionWarning", Severity::kWarning, "` %s %s contains `image: auto` but does not match any Istio injection webhook selectors. `",
     "Deployment has istio-proxy container with image: auto but matches no Istio injection webhook.", 
     "Label the namespace or pod template so an Istio injection webhook selects it, or replace `image: auto` with a real image."},
    {"IST0147", "ImageAutoWithoutInjectionError", Severity::kError, "` %s %s contains `image: auto` but does not match any Istio injection webhook selectors. `",
     "Pod has istio-proxy container with image: auto (it was never injected).", 
     "Create pods through a namespace that is injected (so `image: auto` gets replaced), or set a real proxy image."},
    {"IST0148", "NamespaceInjectionEnabledByDefault", Severity::kInfo, "is enabled for Istio injection, as Istio is installed with enableNamespacesByDefault as true.",
     "Namespace without injection labels while sidecarInjectorWebhook.enableNamespacesByDefault=true (namespace is injected).", 
     "Nothing to do if injection by default is intended; otherwise label the namespace `istio-injection=disabled`."},
    {"IST0149", "JwtClaimBasedRoutingWithoutRequestAuthN", Severity::kError, "The virtual service uses the JWT claim based routing (key: %s) but found no request authentication for the gateway (%s) pod (%s). The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing.",
     "VS routes on @request.auth.claims headers but no RequestAuthentication selects the gateway pods.", 
     "Apply a RequestAuthentication that selects the gateway pods, so JWT claims are validated and available for routing."},
    {"IST0150", "ExternalNameServiceTypeInvalidPortName", Severity::kWarning, "Port name for ExternalName service is invalid. Proxy may prevent tcp named ports and unmatched traffic for ports serving TCP protocol from being forwarded correctly",
     "ExternalName Service port with unsupported name, or named exactly 'tcp'.", 
     "Rename the ExternalName Service's ports with a protocol prefix other than plain `tcp` (for example `https`), or set appProtocol."},
    {"IST0151", "EnvoyFilterUsesRelativeOperation", Severity::kWarning, "This EnvoyFilter does not have a priority and has a relative patch operation set which can cause the EnvoyFilter not to be applied. Using the INSERT_FIRST of ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.",
     "EnvoyFilter with priority 0 uses a relative patch: INSERT_BEFORE, INSERT_AFTER, REPLACE (on an allowed applyTo) or REMOVE (on a non-route applyTo).", 
     "Set a `priority` on the EnvoyFilter or use INSERT_FIRST / ADD, so the patch does not depend on the order filters are applied."},
    {"IST0152", "EnvoyFilterUsesReplaceOperationIncorrectly", Severity::kError, "The REPLACE operation is only valid for HTTP_FILTER and NETWORK_FILTER.",
     "EnvoyFilter REPLACE used with an applyTo other than HTTP_FILTER / NETWORK_FILTER / VIRTUAL_HOST.", 
     "Use REPLACE only with applyTo HTTP_FILTER, NETWORK_FILTER or VIRTUAL_HOST."},
    {"IST0153", "EnvoyFilterUsesAddOperationIncorrectly", Severity::kError, "The ADD operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.",
     "EnvoyFilter ADD used with applyTo ROUTE_CONFIGURATION or HTTP_ROUTE.", 
     "Use MERGE (or another operation) for ROUTE_CONFIGURATION and HTTP_ROUTE; ADD is ignored there."},
    {"IST0154", "EnvoyFilterUsesRemoveOperationIncorrectly", Severity::kError, "The REMOVE operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.",
     "EnvoyFilter REMOVE used with applyTo ROUTE_CONFIGURATION or HTTP_ROUTE.", 
     "REMOVE is ignored for ROUTE_CONFIGURATION and HTTP_ROUTE; remove the patch or target another applyTo."},
    {"IST0155", "EnvoyFilterUsesRelativeOperationWithProxyVersion", Severity::kWarning, "This EnvoyFilter does not have a priority and has a relative patch operation (NSTERT_BEFORE/AFTER, REPLACE, MERGE, DELETE) and proxyVersion set which can cause the EnvoyFilter not to be applied during an upgrade. Using the INSERT_FIRST or ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.",
     "Like IST0151 (and instead of it) when the patched filter name was already patched earlier (same run, file order) by a patch whose match.proxy.proxyVersion is set.", 
     "Set a `priority` on the EnvoyFilter or use INSERT_FIRST / ADD; relative patches with proxyVersion break during upgrades."},
    {"IST0156", "UnsupportedGatewayAPIVersion", Severity::kError, "The Gateway API CRD version %v is lower than the minimum version: %v",
     "istioctl x precheck: installed Gateway API CRDs lack the required beta version.", ""},
    {"IST0157", "InvalidTelemetryProvider", Severity::kWarning, "The Telemetry %v in namespace %q with empty providers will be ignored.",
     "Telemetry accessLogging entry with no providers while the mesh has no default access-log providers.", 
     "Name the providers in the Telemetry's accessLogging entry, or set mesh-wide default access-log providers."},
    {"IST0158", "PodsIstioProxyImageMismatchInNamespace", Severity::kWarning, "The Istio proxy images of the pods running in the namespace do not match the image defined in the injection configuration (pod names: %v). This often happens after upgrading the Istio control-plane and can be fixed by redeploying the pods.",
     "Injected pods in a namespace run an istio-proxy image different from the injector ConfigMap image.", 
     "Restart the pods in the namespace so they are re-injected with the current proxy image."},
    {"IST0159", "ConflictingTelemetryWorkloadSelectors", Severity::kError, "The Telemetries %v in namespace %q select the same workload pod %q, which can lead to undefined behavior.",
     "A Pod is selected by more than one Telemetry with a selector.", 
     "Give the Telemetries disjoint selectors so each pod is selected by at most one."},
    {"IST0160", "MultipleTelemetriesWithoutWorkloadSelectors", Severity::kError, "The Telemetries %v in namespace %q have no workload selector, which can lead to undefined behavior.",
     "More than one Telemetry without selector in the same namespace.", 
     "Keep one selector-less Telemetry per namespace; give the others a selector or merge them."},
    {"IST0161", "InvalidGatewayCredential", Severity::kError, "The credential referenced by the Gateway %s in namespace %s is invalid, which can cause the traffic not to work as expected.",
     "Gateway credentialName Secret exists but has missing/invalid/expired certificate data.", 
     "Put a valid, unexpired certificate and key in the Secret (`tls.crt`/`tls.key` or `cert`/`key`)."},
    {"IST0162", "GatewayPortNotDefinedOnService", Severity::kWarning, "The gateway is listening on a target port (port %d) that is not defined in the Service associated with its workload instances (Pod selector %s). If you need to access the gateway port through the gateway Service, it will not be available.",
     "Gateway server port is not a (target) port of any Service selecting the gateway pods.", 
     "Expose the gateway's server port in the Service that selects the gateway pods, or use a port the Service exposes."},
    {"IST0163", "InvalidExternalControlPlaneConfig", Severity::kWarning, "The hostname (%s) that was provided for the webhook (%s) to reach the ingress gateway on the external control plane cluster %s. Traffic may not flow properly.",
     "Istio validating/mutating webhook for an external control plane has neither a usable URL nor a service.", 
     "Set the webhook's clientConfig.url to the external control plane's ingress host name (or a service)."},
    {"IST0164", "ExternalControlPlaneAddressIsNotAHostname", Severity::kInfo, "The address (%s) that was provided for the webhook (%s) to reach the ingress gateway on the external control plane cluster is an IP address. This is not recommended for a production environment.",
     "External-control-plane webhook URL host is an IP address.", 
     "Use a DNS host name instead of an IP address in the webhook URL."},
    {"IST0165", "ReferencedInternalGateway", Severity::kWarning, "Gateway reference in VirtualService %s is to an implementation-generated internal Gateway: %s.",
     "VirtualService references an implementation-generated internal Gateway name.", 
     "Reference the Gateway API Gateway itself rather than its generated internal Istio Gateway."},
    {"IST0166", "IneffectiveSelector", Severity::kWarning, "Ineffective selector on Kubernetes Gateway %s. Use the TargetRef field instead.",
     "Policy (RequestAuthentication/AuthorizationPolicy/WasmPlugin/Telemetry) uses selector that matches Gateway API gateway pods; targetRef should be used.", 
     "Use `targetRef` (targetRefs) to attach the policy to the Kubernetes Gateway instead of a workload selector."},
    {"IST0167", "IneffectivePolicy", Severity::kWarning, "The policy has no impact: %s.",
     "Sidecar resource has no effect because the namespace or selected pod is in ambient mode.", 
     "Remove the Sidecar or take the namespace/pod out of ambient mode; Sidecar resources do not apply to ambient workloads."},
    {"IST0168", "UnknownUpgradeCompatibility", Severity::kWarning, "` The configuration %q changed in release %s, but compatibility cannot be automatically detected: %s. Or, install with `--set compatibilityVersion=%s` to retain the old default. `",
     "Upgrade-compatibility check that cannot decide (no emitter at this commit).", ""},
    {"IST0169", "UpdateIncompatibility", Severity::kWarning, "` The configuration %q changed in release %s: %s. Or, install with `--set compatibilityVersion=%s` to retain the old default. `",
     "istioctl x precheck: configuration affected by a default change in a newer release.", ""},
    {"IST0170", "MultiClusterInconsistentService", Severity::kWarning, "The service %v in namespace %q is inconsistent across clusters %q, which can lead to undefined behaviors. The inconsistent behaviors are: %v.",
     "Same-named Service differs across clusters (type, headless vs ClusterIP, ports).", 
     "Make the Service's type, headless mode and ports the same in every cluster."},
    {"IST0171", "NegativeConditionStatus", Severity::kWarning, "A condition with a negative status is present: type=%s, reason=%s, message=%s.",
     "Resource status has a negative condition (e.g. Accepted/Programmed/ResolvedRefs=False, WaypointBound=False, ZtunnelAccepted/WaypointAccepted=False).", 
     "Read the condition's reason and message and fix what it reports (missing references, invalid configuration, unbound waypoint)."},
    {"IST0172", "FutureUnsupportedGatewayAPIVersion", Severity::kWarning, "The Gateway API CRD version %v is lower than the minimum version: %v",
     "istioctl x precheck: installed Gateway API CRDs lack the stable version that will be required.", ""},
    {"IST0173", "DestinationRuleSubsetNotSelectPods", Severity::kError, "The Subset %s defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).",
     "A DestinationRule subset's labels select no Pod.", 
     "Fix the subset's labels so they select existing pods (for example the pods' `version` label), or remove the subset."},
    {"IST0174", "UnknownDestinationRuleHost", Severity::kWarning, "The host %s defined in the DestinationRule does not match any services in the mesh.",
     "DestinationRule host matches no Service/ServiceEntry visible from its namespace.", 
     "Point the DestinationRule at an existing Service or ServiceEntry host, or create it."},
    {"IST0175", "JwksUriFetchUnrestricted", Severity::kWarning, "BLOCKED_CIDRS_IN_JWKS_URIS is not configured but %d RequestAuthentication resource(s) exist (%s). Consider configuring it to restrict JWKS URI fetches to trusted networks.",
     "RequestAuthentication resources exist but the istiod Deployment has no BLOCKED_CIDRS_IN_JWKS_URIS env.", 
     "Set BLOCKED_CIDRS_IN_JWKS_URIS on istiod (for example to block link-local and private ranges) to restrict JWKS fetches."},
    {"IST0176", "GatewayAPICRDVersionBelowMinimum", Severity::kWarning, "Gateway API CRD %q is at version %q but Istio requires at least %q; resources of this kind will not be processed. Upgrade the Gateway API CRDs to satisfy the minimum version.",
     "Gateway API CRD bundle-version annotation below Istio's minimum for that CRD.", 
     "Upgrade the Gateway API CRDs to at least the version named in the message."},
    {"IST0177", "ConflictingServiceEntryProtocol", Severity::kWarning, "Multiple ServiceEntries (%s) define the same host %q and port %d with conflicting protocols (%s).",
     "ServiceEntries that share host+port in overlapping exportTo scopes declare different protocols.", 
     "Use the same protocol for this host and port in every ServiceEntry, or separate them by exportTo."},
    {"MSH0001", "WorkloadMissingAppLabel", Severity::kWarning,
     "%s %s has no app label (app, app.kubernetes.io/name or service.istio.io/canonical-name)",
     "A workload's pods carry no app label. Istio names the workload's canonical service after it in telemetry, "
     "tracing and Kiali; without it metrics fall back to the pod name.",
     "Add `app: <service name>` to the pod template labels (spec.template.metadata.labels)."},
    {"MSH0002", "WorkloadMissingVersionLabel", Severity::kWarning,
     "%s %s has no version label (version, app.kubernetes.io/version or service.istio.io/canonical-revision)",
     "A workload's pods carry no version label. DestinationRule subsets, canary traffic splits and per-version "
     "telemetry select pods by it.",
     "Add `version: <release>` (for example `version: v1`) to the pod template labels."},
    {"MSH0003", "MultiServiceAppProtocolConflict", Severity::kWarning,
     "This workload %s is associated with multiple services using port %d but different application protocols: %s",
     "Several Services select the same pods and expose the same port, but their port names or appProtocol give "
     "different protocols (for example http and tcp). Istio builds one listener per port, so one of them loses: "
     "traffic is treated with the protocol of whichever Service wins. Istio's IST0116 compares only the L4 "
     "protocol field and misses this.",
     "Give the port the same protocol prefix (or appProtocol) in every Service that selects these pods."},
    {"MSH0100", "ValidationError", Severity::kError, "%s",
     "`meshctl validate`: Istio's validation rejects the resource (strict decoding of spec, metadata checks, the "
     "kind's semantic rules, Service port naming). The message is Istio's own text.",
     "Fix the field at the reported position; the message is the one istioctl validate and the admission webhook "
     "print."},
    {"MSH0101", "ValidationWarning", Severity::kWarning, "%s",
     "`meshctl validate`: Istio's validation accepts the resource but warns (deprecated fields, settings that have "
     "no effect). The message is Istio's own text.",
     "Review the field at the reported position."},
    {"MSH0102", "UnservedApiVersion", Severity::kWarning, "%s",
     "The apiVersion names an Istio group and kind, but a version Istio does not serve for it. istioctl validate "
     "silently accepts such a document without validating it; the API server would reject it.",
     "Use one of the versions listed in the message (for example networking.istio.io/v1)."},
    {"MSH0103", "DeploymentMissingTelemetryLabels", Severity::kInfo, "%s",
     "istioctl validate's notice: a Deployment's pod template has no app/version labels (canonical name and "
     "revision), so Istio metrics and telemetry lack them.",
     "Add `app` and `version` (or the app.kubernetes.io / service.istio.io equivalents) to "
     "spec.template.metadata.labels."},
    {"MSH0110", "CrdSchemaViolation", Severity::kError, "%s",
     "A custom resource breaks the OpenAPI v3 schema of its CRD version (type, required, enum, pattern, "
     "minimum/maximum, multipleOf, min/maxLength, min/maxItems, min/maxProperties, list-type duplicates, "
     "oneOf/anyOf/allOf/not). kube-apiserver rejects it with the same text.",
     "Fix the value at the reported position so that it matches the CRD schema (`kubectl explain` shows it)."},
    {"MSH0111", "CrdUnknownField", Severity::kError, "%s",
     "A field is not declared in the CRD schema and no x-kubernetes-preserve-unknown-fields applies. "
     "kube-apiserver would silently prune it; kubectl's default --validate=strict rejects the object.",
     "Remove the field or fix its spelling/indentation."},
    {"MSH0112", "CrdValidationRuleFailed", Severity::kError, "%s",
     "An x-kubernetes-validations (CEL) rule of the CRD evaluates to false (or fails to evaluate) for this "
     "resource; kube-apiserver rejects it with the rule's message.",
     "Change the resource so that the rule holds; the message says what the CRD author requires."},
    {"MSH0113", "CrdValidationRulesNotEvaluated", Severity::kInfo, "%s",
     "Some x-kubernetes-validations rules of the CRD use CEL outside the subset meshctl evaluates; they were "
     "skipped for this resource (one finding per resource with the count and the rules).",
     "Check these rules with a server-side dry run (kubectl apply --dry-run=server)."},
    {"MSH0114", "CrdVersionNotServed", Severity::kError, "%s",
     "The resource's apiVersion names a version its CRD does not define or does not serve.",
     "Use one of the served versions listed in the message."},
    {"MSH0115", "CrdVersionDeprecated", Severity::kWarning, "%s",
     "The resource uses a CRD version marked deprecated (the CRD's deprecationWarning is shown when set).",
     "Move the resource to the CRD's current version."},
    {"MSH0116", "CrdInvalidObjectName", Severity::kError, "%s",
     "metadata.name of a custom resource is missing or not a DNS-1123 subdomain (at most 253 characters).",
     "Use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit."},
    {"MSH0201", "VirtualServiceWeightsNotHundred", Severity::kWarning,
     "route %s: destination weights add up to %d, not 100",
     "The weights of a route's destinations do not add up to 100. Istio accepts this and scales them, so the real "
     "split differs from what the numbers say (30/30 becomes 50/50).",
     "Make the weights add up to 100 so they read as the percentages they become."},
    {"MSH0202", "VirtualServiceAllWeightsZero", Severity::kWarning,
     "route %s: every destination has weight 0",
     "All destinations of a route have weight 0. Istio then spreads traffic evenly (or rejects the route in "
     "recent versions); a route where nothing should get traffic is almost always a mistake in a canary step.",
     "Give at least one destination a positive weight, or remove the route."},
    {"MSH0203", "VirtualServiceSingleDestinationPartialWeight", Severity::kWarning,
     "route %s: single destination with weight %d; it receives all the traffic",
     "A route with one destination sends it 100% of the traffic whatever its weight says; a weight below 100 "
     "usually means a second destination was forgotten.",
     "Set the weight to 100 (or drop it), or add the missing destination."},
    {"MSH0204", "ServiceSelectsNoWorkload", Severity::kWarning,
     "Service %s selects no workload in the given files (selector %s)",
     "The Service's selector matches the pod labels of no Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, "
     "CronJob or Pod in its namespace among the inputs. Checked only when the inputs hold workloads.",
     "Fix the selector or the workload's pod template labels so they match, or add the workload's manifest."},
    {"MSH0205", "VirtualServiceDelegateNotFound", Severity::kWarning,
     "delegate VirtualService %s not found",
     "An http route delegates to a VirtualService that is not among the inputs; Istio drops the route.",
     "Create the delegate VirtualService (no hosts, in the namespace given) or fix the delegate name/namespace."},
    {"MSH0206", "DuplicateResource", Severity::kInfo,
     "%s is defined more than once (%s, then %s); only the last copy is analyzed",
     "The same kind, namespace and name appear in more than one document (often one file per rollout step). "
     "Like istioctl's file store and a cluster, where the last apply wins, analyze keeps only the last copy, so "
     "the two copies are not reported as conflicting with each other (for example IST0109).",
     "Give only the copy you mean to apply, or rename one of them if both must exist."},
    {"MSH0207", "FileParseError", Severity::kError, "%s",
     "A file or document of the input could not be parsed or decoded (YAML syntax, a document that is not a "
     "Kubernetes object). Its resources were not analyzed. In log output the error is printed on standard error as "
     "istioctl does; JSON, YAML, SARIF and GitHub output carry it as this finding so a broken file shows where "
     "findings are read (a pull request, a code-scanning dashboard). The exit code is 65 unless --ignore-unknown.",
     "Fix the syntax at the position given; a Helm or other template must be rendered first "
     "(`helm template ... | meshctl analyze -`)."},
    {"MSH0300", "CanaryWeightsDoNotSumTo100", Severity::kError, "%s %s sends %d%% of the traffic in total (weights %v), not 100",
     "A route that `meshctl canary` shifted does not split exactly 100 % between its destinations. Istio treats "
     "weights as relative since 1.15, but Envoy and older proxies expect 100, and a canary plan is in percent.",
     "Make the weights of the route's destinations add up to 100."},
    {"MSH0301", "CanaryVersionSelectsNoWorkload", Severity::kError, "The %s %s selects no workload of %s (labels %s)",
     "A DestinationRule subset or per-version Service that carries canary traffic selects no Deployment, "
     "StatefulSet, DaemonSet, ReplicaSet or Pod behind the Service, so its share of the traffic fails (503 UH).",
     "Deploy the version first, or fix the subset labels / Service selector (the `version` label of the pods)."},
    {"MSH0302", "CanaryServiceNotFound", Severity::kError, "Referenced Service %q not found in namespace %s",
     "A destination or backend of the canary split names a Service that is not in the input.",
     "Add the Service's manifest to the input (-f), or let meshctl generate per-version Services."},
    {"MSH0303", "CanaryResourceManagedByController", Severity::kWarning,
     "This %s is managed by %s (%s) and may overwrite the change. %s",
     "The resource `meshctl canary` changes is owned by a controller (Flagger, Argo Rollouts, a Kiali wizard) "
     "that writes it back on its own schedule.",
     "Drive the release through that controller, or remove its ownership before shifting by hand."},
    {"MSH0304", "CanaryServicePortProtocolUnknown", Severity::kWarning,
     "Service %s port %d (name %q) does not declare HTTP (name prefix http-/grpc- or appProtocol), so Istio may treat it as TCP and not apply the HTTP routes of the split",
     "The canary shifts HTTP routes, but the Service port's protocol cannot be derived from its name or "
     "appProtocol. Istio falls back to protocol sniffing, and TCP traffic ignores http routes.",
     "Name the port `http` or `http-<suffix>` (or set appProtocol: http)."},
    {"MSH0305", "CanaryStableGetsNoTraffic", Severity::kWarning,
     "The stable version %s gets 0%% of the traffic now (%s gets it all); check --stable and --canary",
     "The version named stable receives no traffic in the current routes while the canary receives all of it, "
     "typically the first run after --promote with the old flags: the shift would move traffic back to the old "
     "version.",
     "After a promotion the former canary is the stable version: pass --stable with it (and the next version as "
     "--canary), or use --rollback to go back on purpose."},
    {"MSH0701", "WaypointNotReady", Severity::kWarning,
     "waypoint %s %s: traffic that should go through it bypasses it",
     "istio.io/use-waypoint names a Gateway that is not among the inputs, or one without status.addresses. istiod "
     "binds only to waypoints with an address (WaypointIsNotReady); until then ztunnel sends traffic straight to the "
     "destination and the waypoint's L7 policies are not applied.",
     "Create the waypoint (`istioctl waypoint apply -n NS`), wait until it is Programmed, or fix the label's name "
     "and istio.io/use-waypoint-namespace."},
    {"MSH0702", "WaypointAttachmentDenied", Severity::kError,
     "waypoint %s does not accept objects from namespace %s (allowedRoutes.namespaces.from: %s)",
     "A cross-namespace istio.io/use-waypoint is refused by the waypoint's HBONE listener: allowedRoutes default to "
     "Same. istiod reports AttachmentDenied and traffic bypasses the waypoint.",
     "Set `allowedRoutes: {namespaces: {from: All}}` (or a Selector matching the namespace) on the waypoint's "
     "port 15008 listener, or use a waypoint in the same namespace."},
    {"MSH0703", "WaypointTrafficTypeMismatch", Severity::kError,
     "%s uses waypoint %s, whose traffic type is %s: it does not serve %s traffic (UnsupportedTrafficType)",
     "Services and ServiceEntries bind only to waypoints for `service` or `all` traffic, Pods and WorkloadEntries "
     "with their own label only to `workload` or `all` (istio.io/waypoint-for on the Gateway, else its "
     "GatewayClass, else service). A mismatch is not bound; traffic bypasses the waypoint.",
     "Set istio.io/waypoint-for on the waypoint Gateway to the traffic it must serve (or `all`), or point the label "
     "at another waypoint."},
    {"MSH0704", "WaypointLabelInvalid", Severity::kWarning, "%s",
     "A waypoint label that cannot work: istio.io/use-waypoint-namespace without istio.io/use-waypoint, an "
     "istio.io/waypoint-for value other than service, workload, all or none, or a waypoint named `none` (the value "
     "that opts out).",
     "Fix or remove the label; rename a waypoint called `none`."},
    {"MSH0705", "WaypointNotUsable", Severity::kError, "waypoint %s %s",
     "A waypoint Gateway without a listener on port 15008 with protocol HBONE, or a use-waypoint target whose "
     "gatewayClassName is not istio-waypoint: ztunnel tunnels to waypoints over HBONE on 15008, and only the "
     "istio-waypoint class gets a waypoint deployment.",
     "Add `listeners: [{name: mesh, port: 15008, protocol: HBONE}]` with `gatewayClassName: istio-waypoint` (what "
     "`istioctl waypoint generate` writes)."},
    {"MSH0706", "WaypointNothingBound", Severity::kInfo,
     "waypoint %s has nothing bound: no Namespace, Service, ServiceEntry, Pod or WorkloadEntry uses it and no "
     "AuthorizationPolicy targets it",
     "A waypoint to which no istio.io/use-waypoint label resolves (Istio issues #50249, #52706): it runs and costs "
     "resources but no traffic reaches it.",
     "Label the namespace or services (`kubectl label ns NS istio.io/use-waypoint=NAME`), or delete the waypoint."},
    {"MSH0707", "UseWaypointNamespaceNotAmbient", Severity::kWarning,
     "namespace %s sets istio.io/use-waypoint=%s but is not in ambient mode (istio.io/dataplane-mode=ambient)",
     "Only traffic captured by ztunnel goes to a waypoint. Pods of a namespace that is not ambient are not captured, "
     "so their traffic never reaches the waypoint the namespace names.",
     "Label the namespace `istio.io/dataplane-mode=ambient`, or remove istio.io/use-waypoint."},
    {"MSH0708", "AmbientWithSidecarInjection", Severity::kWarning,
     "namespace %s is labelled istio.io/dataplane-mode=ambient together with %v: pods get sidecars and ambient is "
     "ignored",
     "Sidecar injection labels win over ambient: Istio treats such a namespace as sidecar-injected (in_mesh.go), "
     "so waypoints and ztunnel policies do not apply to its pods. IST0123 reports the label clash; this says what "
     "it does.",
     "Remove istio-injection/istio.io/rev to run the namespace in ambient mode, or remove "
     "istio.io/dataplane-mode=ambient to keep sidecars."},
    {"MSH0709", "HTTPRouteParentWithoutWaypoint", Severity::kWarning,
     "HTTPRoute %s has parent Service %s, which binds to no waypoint: ambient traffic to it ignores the route",
     "In ambient mode ztunnel handles only L4; an HTTPRoute attached to a Service (GAMMA) is applied by the "
     "Service's waypoint. A Service in an ambient namespace without istio.io/use-waypoint (on it or its "
     "Namespace) has none, so the route's matches, splits and filters never apply; istiod reports this only in "
     "the route's ResolvedWaypoints condition message.",
     "Give the Service (or its Namespace) a waypoint: `istioctl waypoint apply -n NS --enroll-namespace`, or label "
     "the Service istio.io/use-waypoint=NAME."},
    {"MSH0710", "IngressBypassesWaypoint", Severity::kWarning,
     "ingress Gateway %s sends traffic to Service %s directly, skipping its waypoint %s",
     "An ingress Gateway (not a waypoint) routes to a Service that has a waypoint, but neither the Service nor its "
     "Namespace sets istio.io/ingress-use-waypoint=true. Ingress traffic then goes straight to the endpoints, and "
     "the waypoint's L7 policies (AuthorizationPolicy targetRefs, routes) do not apply to it.",
     "Label the Service (or its Namespace) istio.io/ingress-use-waypoint=true, or enforce the policy at the ingress "
     "Gateway as well."},
};

}  // namespace

const std::vector<MessageType>& AllMessages() { return kMessages; }

const MessageType* FindMessage(std::string_view code) {
  auto it = std::lower_bound(kMessages.begin(), kMessages.end(), code,
                             [](const MessageType& m, std::string_view c) { return m.code < c; });
  if (it == kMessages.end() || it->code != code) return nullptr;
  return &*it;
}

std::string DocumentationUrl(std::string_view code) {
  if (code.substr(0, 3) == "IST") {
    return fmt::format("https://istio.io/v{}/docs/reference/config/analysis/{}/?ref=istioctl-analyze",
                       core::kIstioDocsVersion, core::ToLower(code));
  }
  return fmt::format("https://github.com/meshctl/meshctl/blob/main/docs/analyze.md#{}", core::ToLower(code));
}

namespace {

std::string ArgToString(const Arg& a, char verb) {
  auto one = [verb](const std::string& s) { return verb == 'q' ? core::GoQuote(s) : s; };
  if (auto* s = std::get_if<std::string>(&a)) return one(*s);
  if (auto* i = std::get_if<int64_t>(&a)) return std::to_string(*i);
  if (auto* v = std::get_if<std::vector<std::string>>(&a)) {
    std::string out = "[";
    for (size_t i = 0; i < v->size(); ++i) out += (i ? " " : "") + one((*v)[i]);
    return out + "]";
  }
  const auto& v = std::get<std::vector<int64_t>>(a);
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + std::to_string(v[i]);
  return out + "]";
}

}  // namespace

std::string FormatGo(std::string_view tmpl, const std::vector<Arg>& args) {
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    char c = tmpl[i];
    if (c != '%' || i + 1 >= tmpl.size()) {
      out += c;
      continue;
    }
    char verb = tmpl[++i];
    if (verb == '%') {
      out += '%';
      continue;
    }
    if (next >= args.size()) {
      out += fmt::format("%!{}(MISSING)", verb);
      continue;
    }
    out += ArgToString(args[next++], verb);
  }
  return out;
}

}  // namespace meshctl::diag
