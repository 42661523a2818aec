import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/** A modal dialog (the browser's own: focus kept inside, Escape closes it). */
export function Modal({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current!;
    dialog.showModal();
    dialog.addEventListener("close", onClose);
    return () => dialog.removeEventListener("close", onClose);
  }, []);
  const id = `dialog-${title.replace(/\W+/g, "-")}`;
  return (
    <dialog ref={ref} aria-labelledby={id} class={wide ? "wide" : ""}>
      <header>
        <h2 id={id}>{title}</h2>
        <button type="button" class="close" onClick={() => ref.current!.close()} aria-label="Close">
          ×
        </button>
      </header>
      {children}
    </dialog>
  );
}
