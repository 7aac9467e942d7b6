import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { useEffect, useRef, useState } from 'react';
import type { DiagramMarkers } from './logic';
import './diagram.css';

interface Canvas {
  zoom(level: 'fit-viewport', center?: 'auto'): number;
  addMarker(element: string, marker: string): void;
}
interface Registry {
  get(id: string): unknown;
}

/**
 * The case's flow (bpmn-js NavigatedViewer: drag to move, wheel or pinch to zoom), its current step
 * outlined in blue and the steps already passed in green. A chunk of its own, loaded only where shown.
 */
export default function BpmnDiagram({
  xml,
  markers,
  onError,
}: {
  xml: string;
  markers: DiagramMarkers;
  onError?: (message: string) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const markerKey = JSON.stringify(markers);
  // biome-ignore lint/correctness/useExhaustiveDependencies: markers are compared by value (markerKey)
  useEffect(() => {
    if (!host.current) return;
    const viewer = new NavigatedViewer({ container: host.current });
    let live = true;
    viewer.importXML(xml).then(
      () => {
        if (!live) return;
        const canvas = viewer.get<Canvas>('canvas');
        const registry = viewer.get<Registry>('elementRegistry');
        for (const id of markers.done) if (registry.get(id)) canvas.addMarker(id, 'mf-bpmn-done');
        for (const id of markers.active) if (registry.get(id)) canvas.addMarker(id, 'mf-bpmn-active');
        canvas.zoom('fit-viewport', 'auto');
        setReady(true);
      },
      (err: unknown) => {
        if (live) onError?.(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      live = false;
      viewer.destroy();
    };
  }, [xml, markerKey]);
  return (
    <div
      ref={host}
      className="mf-bpmn"
      data-testid="bpmn-diagram"
      data-ready={ready ? 'true' : 'false'}
      role="img"
      aria-label="BPMN"
    />
  );
}
