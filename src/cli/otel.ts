/**
 * `--otel`, or `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` in
 * the environment: the run is exported as a trace over OTLP/HTTP when it ends, as JSON
 * or, when OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL says `http/protobuf`, as protobuf (gRPC
 * is not offered: a warning, then JSON),
 * with the journal's times (see `report/trace-spans.ts` for its shape). The
 * OpenTelemetry packages are imported only here and only then, so a run without
 * tracing loads none of them. An export that fails is a warning, never the run's outcome.
 */
import type { RunModel } from "../journal/run-model.js";
import type { PlanBlock } from "../model/plan.js";
import { traceSpans } from "../report/trace-spans.js";

export async function exportTrace(model: RunModel, blocks: readonly PlanBlock[]): Promise<void> {
  const protocol =
    process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
  const protobuf = protocol === "http/protobuf";
  if (protocol !== undefined && protocol !== "http/json" && !protobuf)
    process.stderr.write(
      `warning: OTEL_EXPORTER_OTLP_PROTOCOL=${protocol}: cairn exports traces over http/json or http/protobuf; using http/json\n`,
    );
  const [{ trace, context, SpanStatusCode }, sdk, { OTLPTraceExporter }] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/sdk-trace-base"),
    protobuf
      ? import("@opentelemetry/exporter-trace-otlp-proto")
      : import("@opentelemetry/exporter-trace-otlp-http"),
  ]);
  const memory = new sdk.InMemorySpanExporter();
  const provider = new sdk.BasicTracerProvider({
    spanProcessors: [new sdk.SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("cairn");
  const spans = new Map<string, { span: import("@opentelemetry/api").Span; end: number }>();
  for (const spec of traceSpans(model, blocks)) {
    const parent = spec.parent === null ? undefined : spans.get(spec.parent)?.span;
    const ctx = parent === undefined ? context.active() : trace.setSpan(context.active(), parent);
    const span = tracer.startSpan(
      spec.name,
      { startTime: spec.start, attributes: spec.attributes },
      ctx,
    );
    for (const e of spec.events) span.addEvent(e.name, e.attributes, e.time);
    if (spec.error !== null) span.setStatus({ code: SpanStatusCode.ERROR, message: spec.error });
    spans.set(spec.key, { span, end: spec.end });
  }
  // Children end before their parents, as a live trace would.
  for (const { span, end } of [...spans.values()].reverse()) span.end(end);
  const exporter = new OTLPTraceExporter();
  const finished = memory.getFinishedSpans();
  const error = await new Promise<Error | null>((resolve) => {
    exporter.export(finished, (r) =>
      resolve(r.code === 0 ? null : (r.error ?? new Error("export failed"))),
    );
  });
  await exporter.shutdown();
  await provider.shutdown();
  if (error !== null)
    process.stderr.write(`warning: the trace was not exported: ${error.message}\n`);
}
