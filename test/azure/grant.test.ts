import { roleAssignmentName } from "../../components/azure/grant";

describe("role assignment names", () => {
  it("are the same for the same scope, role and principal in any case, so a rerun after lost state updates instead of failing", () => {
    const name = roleAssignmentName("/subscriptions/s/resourceGroups/rg", "/subscriptions/s/providers/x/roleDefinitions/r", "P");
    expect(roleAssignmentName("/subscriptions/S/resourceGroups/RG", "/subscriptions/s/providers/x/roleDefinitions/R", "p")).toBe(name);
    expect(name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("differ when any of the three differs", () => {
    const names = new Set([
      roleAssignmentName("scope-a", "role", "principal"),
      roleAssignmentName("scope-b", "role", "principal"),
      roleAssignmentName("scope-a", "role-2", "principal"),
      roleAssignmentName("scope-a", "role", "principal-2"),
    ]);
    expect(names.size).toBe(4);
  });
});
