/**
 * The designer's place at /designer until the BPMN modeler and form builder land (issue 6): says what is
 * coming and links to what works today. Plain React, no antd, so it stays a few kilobytes.
 */
export function Placeholder() {
  return (
    <main className="dz-main">
      <h1>
        流程设计器（建设中）
        <span className="dz-en" lang="en">
          Designer (coming)
        </span>
      </h1>
      <p>
        市局管理员将在这里用 BPMN 流程图和表单设计器定义业务事项，发布后各乡镇即可办理，无需改代码。
        <br />
        <span lang="en">
          City administrators will define business items here with a BPMN flow and a form builder, then publish them for
          every township without code.
        </span>
      </p>
      <ul className="dz-links">
        <li>
          <a href="/app/">进入业务办理 / Open the runtime app</a>
        </li>
        <li>
          <a href="/api/docs">API 文档 / API documentation</a>
        </li>
      </ul>
    </main>
  );
}
