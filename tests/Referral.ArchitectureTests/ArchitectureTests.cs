using System.Reflection;
using System.Xml.Linq;
using Mediator;
using Referral.BuildingBlocks.Security;

namespace Referral.ArchitectureTests;

/// <summary>
/// The module boundaries of ARCHITECTURE.md §8, checked on the project files and the built assemblies: a module
/// references only the building blocks, its own contracts and upstream contracts; contracts reference no
/// infrastructure; only the host carries the source generator and Swashbuckle; no cycles.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>
    /// Which modules' contracts each module may use: Suspicion → Prosecution → VoluntaryReturn (witness coordination,
    /// R8) → ReflectionPeriod (needs open investigations, R4, and ends on a voluntary departure, R7) → Support. Support
    /// never sees Prosecution (rule R10: support must not depend on willingness to testify). The child-safeguarding
    /// overlay reads the registration, whereabouts and the court's appointment of a special representative; the
    /// reimbursement claims read the service lines, the permits and the whereabouts (R16).
    /// </summary>
    private static readonly Dictionary<string, string[]> Upstream = new()
    {
        ["Suspicion"] = [],
        ["Prosecution"] = ["Suspicion"],
        ["VoluntaryReturn"] = ["Suspicion", "Prosecution"],
        ["ReflectionPeriod"] = ["Suspicion", "Prosecution", "VoluntaryReturn"],
        ["Support"] = ["Suspicion", "ReflectionPeriod", "VoluntaryReturn"],
        ["ChildSafeguarding"] = ["Suspicion", "Prosecution"],
        ["Reimbursement"] = ["Suspicion", "ReflectionPeriod", "Support"],
        ["Outreach"] = ["Suspicion"],
        ["Statistics"] = ["Suspicion", "ReflectionPeriod", "Prosecution", "VoluntaryReturn"],
        ["Tasks"] = ["Suspicion", "ReflectionPeriod", "Prosecution", "ChildSafeguarding", "VoluntaryReturn", "Support", "Reimbursement"],
        ["Audit"] = [],
    };

    private static readonly string Root = FindRoot();

    private static IEnumerable<string> Projects(string folder) =>
        Directory.GetFiles(Path.Combine(Root, folder), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}eng{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string Name(string csproj) => Path.GetFileNameWithoutExtension(csproj);

    private static IReadOnlyList<string> ProjectReferences(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();

    private static IReadOnlyList<string> PackageReferences(string csproj) =>
        XDocument.Load(csproj).Descendants("PackageReference").Select(r => r.Attribute("Include")!.Value).ToList();

    /// <summary>R10: support must not depend on willingness to testify — the support module cannot see the prosecution step.</summary>
    [Fact]
    public void Support_references_nothing_of_the_prosecution_step()
    {
        var project = File.ReadAllText(Path.Combine(Root, "src", "Modules", "Support", "Referral.Modules.Support.csproj"));
        Assert.DoesNotContain("Prosecution", project, StringComparison.Ordinal);
        var support = typeof(Referral.Modules.Support.SupportModule).Assembly;
        Assert.DoesNotContain(support.GetReferencedAssemblies(), a => a.Name!.Contains("Prosecution", StringComparison.Ordinal));
        Assert.DoesNotContain(support.GetTypes().SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)),
            f => f.FieldType.Namespace?.Contains("Prosecution", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Every_step_module_has_a_known_place_in_the_workflow()
    {
        var modules = Projects("src/Modules").Select(Name).Where(n => !n.EndsWith(".Contracts", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(modules);
        Assert.All(modules, m => Assert.True(Upstream.ContainsKey(m.Replace("Referral.Modules.", "", StringComparison.Ordinal)), $"{m} is not in the upstream map."));
    }

    [Fact]
    public void A_module_references_only_building_blocks_its_own_contracts_and_upstream_contracts()
    {
        foreach (var csproj in Projects("src/Modules").Where(p => !Name(p).EndsWith(".Contracts", StringComparison.Ordinal)))
        {
            var step = Name(csproj).Replace("Referral.Modules.", "", StringComparison.Ordinal);
            var allowed = new HashSet<string>(["Referral.BuildingBlocks", $"Referral.Modules.{step}.Contracts"]);
            allowed.UnionWith(Upstream[step].Select(u => $"Referral.Modules.{u}.Contracts"));
            foreach (var reference in ProjectReferences(csproj))
            {
                Assert.True(allowed.Contains(reference), $"{Name(csproj)} must not reference {reference}.");
            }
        }
    }

    [Fact]
    public void Built_module_assemblies_reference_no_other_module_internals()
    {
        foreach (var assembly in ModuleAssemblies().Where(a => !a.GetName().Name!.EndsWith(".Contracts", StringComparison.Ordinal)))
        {
            var own = assembly.GetName().Name!;
            foreach (var reference in assembly.GetReferencedAssemblies().Select(r => r.Name!).Where(n => n.StartsWith("Referral.Modules.", StringComparison.Ordinal)))
            {
                Assert.True(reference.EndsWith(".Contracts", StringComparison.Ordinal), $"{own} references the internals of {reference}.");
            }
        }
    }

    [Fact]
    public void Contracts_reference_no_infrastructure()
    {
        var contracts = Projects("src").Where(p => Name(p).EndsWith(".Contracts", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(contracts);
        foreach (var csproj in contracts)
        {
            Assert.Empty(PackageReferences(csproj));
            Assert.DoesNotContain("FrameworkReference", File.ReadAllText(csproj), StringComparison.Ordinal);
            Assert.All(ProjectReferences(csproj), r => Assert.EndsWith(".Contracts", r, StringComparison.Ordinal));
        }

        foreach (var assembly in ModuleAssemblies().Where(a => a.GetName().Name!.EndsWith(".Contracts", StringComparison.Ordinal)))
        {
            var references = assembly.GetReferencedAssemblies().Select(r => r.Name!).ToList();
            Assert.DoesNotContain(references, r => r.StartsWith("Marten", StringComparison.Ordinal) || r.StartsWith("Stateless", StringComparison.Ordinal)
                || r.StartsWith("Mediator", StringComparison.Ordinal) || r.StartsWith("FluentValidation", StringComparison.Ordinal)
                || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || r.StartsWith("Npgsql", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Only_the_host_carries_the_mediator_source_generator_and_swashbuckle()
    {
        foreach (var csproj in Projects("src").Concat(Projects("tests")).Where(p => Name(p) != "Referral.Host"))
        {
            var packages = PackageReferences(csproj);
            Assert.DoesNotContain("Mediator.SourceGenerator", packages);
            Assert.DoesNotContain(packages, p => p.StartsWith("Swashbuckle", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_project_graph_has_no_cycles()
    {
        var graph = Projects("src").ToDictionary(Name, ProjectReferences);
        var state = new Dictionary<string, int>();
        void Visit(string node, Stack<string> path)
        {
            if (state.GetValueOrDefault(node) == 2 || !graph.TryGetValue(node, out var references))
            {
                return;
            }

            Assert.True(state.GetValueOrDefault(node) != 1, "Cycle: " + string.Join(" -> ", path.Reverse().Append(node)));
            state[node] = 1;
            path.Push(node);
            foreach (var next in references)
            {
                Visit(next, path);
            }

            path.Pop();
            state[node] = 2;
        }

        foreach (var node in graph.Keys)
        {
            Visit(node, new Stack<string>());
        }
    }

    [Fact]
    public void Every_command_and_query_declares_who_may_send_it()
    {
        var messages = ModuleAssemblies().Append(typeof(Program).Assembly)
            .SelectMany(a => a.GetTypes())
            .Where(t => !t.IsAbstract && typeof(IMessage).IsAssignableFrom(t))
            .ToList();
        Assert.NotEmpty(messages);
        Assert.All(messages, t => Assert.True(
            t.GetCustomAttribute<AllowedOrganisationsAttribute>() is not null || t.GetCustomAttribute<AnyOrganisationAttribute>() is not null,
            $"{t.Name} declares no AllowedOrganisations: nobody could send it."));
    }

    [Fact]
    public void Public_events_are_sealed_records_with_a_module_prefixed_alias_and_no_personal_data_fields()
    {
        string[] personal = ["Name", "GivenName", "FamilyName", "DateOfBirth", "BirthDate", "Phone", "Email", "Address", "Personnummer", "PassportNo", "IdentityNumber"];
        foreach (var contracts in ModuleAssemblies().Where(a => a.GetName().Name!.EndsWith(".Contracts", StringComparison.Ordinal) && a.GetName().Name!.StartsWith("Referral.Modules.", StringComparison.Ordinal)))
        {
            var step = contracts.GetName().Name!.Replace("Referral.Modules.", "", StringComparison.Ordinal).Replace(".Contracts", "", StringComparison.Ordinal);
            var aliases = (IReadOnlyDictionary<Type, string>)contracts.GetTypes().Single(t => t.Name.EndsWith("EventAliases", StringComparison.Ordinal))
                .GetField("All")!.GetValue(null)!;
            var prefix = string.Concat(step.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())) + ".";
            var records = contracts.GetTypes().Where(t => t.IsClass && t.IsPublic && t.GetMethod("<Clone>$") is not null).ToList();
            Assert.NotEmpty(records);

            // A record that is neither an event nor a value used inside one (or by a contract interface) is a forgotten event.
            var components = aliases.Keys.SelectMany(e => e.GetProperties()).SelectMany(p => TypesIn(p.PropertyType))
                .Concat(contracts.GetTypes().Where(t => t.IsInterface).SelectMany(i => i.GetMethods())
                    .SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)).SelectMany(TypesIn))
                .ToHashSet();
            foreach (var record in records)
            {
                Assert.True(aliases.ContainsKey(record) || components.Contains(record), $"{record.Name} is public but neither an aliased event nor used by one.");
            }

            foreach (var e in aliases.Keys)
            {
                Assert.True(e.IsSealed && e.GetMethod("<Clone>$") is not null, $"{e.Name} must be a sealed record.");
                Assert.StartsWith(prefix, aliases[e], StringComparison.Ordinal);
                Assert.All(e.GetProperties(), p => Assert.DoesNotContain(p.Name, personal));
            }

            foreach (var component in components.Where(c => c.Assembly == contracts))
            {
                Assert.All(component.GetProperties(), p => Assert.DoesNotContain(p.Name, personal));
            }

            Assert.Equal(aliases.Count, aliases.Values.Distinct().Count());
        }
    }

    [Fact]
    public void Modules_write_to_streams_only_through_the_case_stream_helper()
    {
        var sources = Directory.GetFiles(Path.Combine(Root, "src", "Modules"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in sources)
        {
            var text = File.ReadAllText(file);
            Assert.False(text.Contains("Events.Append(", StringComparison.Ordinal), $"{file} appends without FetchForWriting.");
        }
    }

    /// <summary>The steps that have moved to ADR 0011's module shape (the others move one per commit).</summary>
    private static readonly string[] InModuleShape = ["Suspicion", "ReflectionPeriod", "Support", "VoluntaryReturn", "Prosecution", "ChildSafeguarding", "Reimbursement", "Outreach"];

    /// <summary>
    /// ADR 0011: a moved step is one namespace (nothing in it can import itself in a cycle), its top-level files are named
    /// for the step and what they hold, and there are no Domain/Features/Projections folders; sub-folders are sub-features.
    /// </summary>
    [Fact]
    public void Moved_steps_have_the_module_shape_of_ADR_0011()
    {
        string[] kinds = ["Module", "Commands", "Workflow", "Handlers", "State", "View", "Projection"];
        string[] optional = ["NeedToKnow"];
        foreach (var step in InModuleShape)
        {
            var folder = Path.Combine(Root, "src", "Modules", step);
            var assembly = ModuleAssemblies().Single(a => a.GetName().Name == $"Referral.Modules.{step}");
            var namespaces = assembly.GetTypes().Where(t => t.Namespace?.StartsWith("Referral.", StringComparison.Ordinal) == true
                && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false)).Select(t => t.Namespace).Distinct().ToList();
            Assert.Equal([$"Referral.Modules.{step}"], namespaces);
            foreach (var file in Directory.GetFiles(folder, "*.cs"))
            {
                Assert.Contains(Path.GetFileNameWithoutExtension(file), kinds.Concat(optional).Select(k => step + k));
            }

            Assert.DoesNotContain(Directory.GetDirectories(folder).Select(Path.GetFileName), d => d is "Domain" or "Features" or "Projections");
            Assert.All(kinds, k => Assert.True(File.Exists(Path.Combine(folder, step + k + ".cs")), $"{step}{k}.cs is missing"));
        }
    }

    /// <summary>A type and the generic arguments inside it (List&lt;Defendant&gt; → List, Defendant), unwrapping tasks and tuples.</summary>
    private static IEnumerable<Type> TypesIn(Type type) =>
        type.IsGenericType ? type.GetGenericArguments().SelectMany(TypesIn).Prepend(type) : [type];

    private static IEnumerable<Assembly> ModuleAssemblies() =>
        typeof(Program).Assembly.GetReferencedAssemblies()
            .Where(a => a.Name!.StartsWith("Referral.", StringComparison.Ordinal))
            .Select(Assembly.Load)
            .SelectMany(a => a.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Referral.", StringComparison.Ordinal)).Select(Assembly.Load).Prepend(a))
            .DistinctBy(a => a.FullName);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Referral.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Referral.sln not found.");
    }
}
